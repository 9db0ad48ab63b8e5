// An ICE restart on a live publisher (a new offer on its connection, new ICE credentials, the DTLS
// session kept): werift's connect skips a transport whose DTLS is up, so without
// `resumeIceAfterRestart` the server's ICE agent never nominates a pair again and then drops all
// it would send (no REMB, no keyframe request reaches the publisher). The client here is werift
// too, which has the same flaw as offerer, so it gets the workaround as well. Its restart offer
// goes without candidates, as Chrome's often does in effect (its mDNS host names are of no use to
// the server): the server learns the client's address from its checks alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReceiverEstimatedMaxBitrate, RtcpPayloadSpecificFeedback } from 'werift';
import { resumeIceAfterRestart } from '../../packages/server/src/relay/werift-workarounds.js';
import { AmsClient, startServer, wsUrl } from '../helpers/server.js';
import { until, wsPublishMedia } from '../helpers/whip.js';

const ufragOf = (sdp: string | undefined): string | undefined => /a=ice-ufrag:(\S+)/.exec(sdp ?? '')?.[1];

describe('an ICE restart on a live publisher', () => {
  it('leaves the server sending RTCP to it again (REMBs arrive after the restart, on new credentials)', async () => {
    const server = await startServer();
    const ws = await AmsClient.connect(wsUrl(server));
    const { pc, media } = await wsPublishMedia(ws, 'ice-restart');
    resumeIceAfterRestart(pc);
    try {
      const video = pc.getTransceivers().find((t) => t.kind === 'video')!;
      let rembs = 0;
      video.sender.onRtcp.subscribe((packet) => {
        if (packet instanceof RtcpPayloadSpecificFeedback && packet.feedback instanceof ReceiverEstimatedMaxBitrate) rembs++;
      });
      await until(() => rembs >= 2, 'REMBs before the restart', 10_000);
      const serverUfrag = ufragOf(pc.remoteDescription?.sdp);
      // The server answers as the DTLS server (`answerAsDtlsServer`), before and after the restart.
      assert.match(pc.remoteDescription?.sdp ?? '', /^a=setup:passive\r?$/m);

      await pc.setLocalDescription(await pc.createOffer({ iceRestart: true }));
      const answer = ws.next({ command: 'takeConfiguration', streamId: 'ice-restart', type: 'answer' });
      const offer = pc.localDescription!.sdp.replace(/^a=(candidate|end-of-candidates).*\r\n/gm, '');
      ws.send({ command: 'takeConfiguration', streamId: 'ice-restart', type: 'offer', sdp: offer });
      const sdp = (await answer).sdp as string;
      assert.notEqual(ufragOf(sdp), serverUfrag, 'the server answered with new credentials');
      assert.match(sdp, /^a=setup:passive\r?$/m);
      await pc.setRemoteDescription({ type: 'answer', sdp });
      const after = rembs;
      // The server's ICE agent runs again and nominates a pair; until then werift sends it nothing.
      await until(() => rembs >= after + 4, 'REMBs after the restart', 10_000);
    } finally {
      media.stop();
      await pc.close();
      ws.close();
      await server.close();
    }
  });
});
