// <rtc-room> in the language of its `lang` or its nearest ancestor's: the device check, the control
// bar and the chat read from the language's table once it has arrived; an unknown code stays in
// English; a page's own strings win; and a room in English fetches no table.
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/define-room.js';
import type { RtcRoom } from '../../../src/elements/rtc-room/rtc-room.js';
import { setTranslations } from '../../../src/i18n/i18n.js';
import { poll, uniqueStreamId as unique } from '../../helpers/ams-client.js';
import { part, ws } from '../../helpers/dom.js';

const fetchedLocales = (): string[] =>
  performance
    .getEntriesByType('resource')
    .map((e) => new URL(e.name).pathname)
    .filter((p) => p.includes('/locales/'));

const joinText = (el: RtcRoom): string => part(el, 'join-button')!.textContent!.trim();

describe('<rtc-room> languages', () => {
  it('in English by default, with no table fetched', async () => {
    const el = await fixture<RtcRoom>(html`<rtc-room server-url=${ws} room-id=${unique('en')} no-video no-audio></rtc-room>`);
    await el.updateComplete;
    expect(joinText(el)).to.equal('Join');
    expect(fetchedLocales()).to.deep.equal([]);
  });

  it('lang="de" on an ancestor: the device check in German', async () => {
    const wrapper = await fixture<HTMLElement>(html`<div lang="de"><rtc-room server-url=${ws} room-id=${unique('de')} no-video no-audio></rtc-room></div>`);
    const el = wrapper.querySelector('rtc-room') as RtcRoom;
    await el.updateComplete;
    await poll(() => joinText(el) === 'Beitreten', 5000, 'the German Join');
    expect(el.shadowRoot!.querySelector('.title')!.textContent!.trim()).to.equal('Bereit zum Beitreten?');
    expect(fetchedLocales().filter((p) => p.includes('/locales/de.'))).to.have.length(1);
  });

  it('lang on the element itself, changed at run time; an unknown code falls back to English; a page override wins', async () => {
    const el = await fixture<RtcRoom>(html`<rtc-room lang="ja" server-url=${ws} room-id=${unique('ja')} no-video no-audio></rtc-room>`);
    await poll(() => joinText(el) === '参加', 5000, 'the Japanese Join');
    el.setAttribute('lang', 'xx');
    await poll(() => joinText(el) === 'Join', 5000, 'English for an unknown code');
    setTranslations('fr', { Join: 'Entrer' });
    el.setAttribute('lang', 'fr-CA');
    await poll(() => joinText(el) === 'Entrer', 5000, "the page's French");
  });
});
