// The fan-out bench's publisher (scripts/bench/node/fanout.ts forks it): a werift peer publishing
// `fanout` to the WebSocket URL it is given, VP8 only, at the payload size it is given, 50 packets
// a second. In a process of its own so that the receivers' load cannot slow its clock. Posts
// `{ live: true }` at publish_started (or `{ error }`); stops and leaves when the bench disconnects.
import { AmsClient } from '../../../test/helpers/server.js';
import { wsPublishMedia } from '../../../test/helpers/whip.js';

const [url, bytes] = process.argv.slice(2);
try {
  const client = await AmsClient.connect(url!);
  const { pc, media } = await wsPublishMedia(client, 'fanout', { audio: false, videoBytes: Number(bytes) });
  process.on('disconnect', () => {
    media.stop();
    client.close();
    void pc.close().finally(() => process.exit(0));
  });
  process.send!({ live: true });
} catch (e) {
  process.send!({ error: e instanceof Error ? e.message : String(e) });
  process.exit(1);
}
