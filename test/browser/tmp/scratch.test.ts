import { expect } from '@open-wc/testing';
describe('scratch', () => {
  it('devices', async () => {
    const s = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    const d = await navigator.mediaDevices.enumerateDevices();
    console.log(JSON.stringify(d.map((x) => [x.kind, x.label, x.deviceId.slice(0, 8)])));
    const div = document.createElement('div'); document.body.append(div);
    const r = await div.requestFullscreen().then(() => 'ok', (e: Error) => 'fail ' + e.message);
    console.log('fullscreen', r, document.fullscreenEnabled);
    for (const t of s.getTracks()) t.stop();
    expect(1).to.equal(1);
  });
});
