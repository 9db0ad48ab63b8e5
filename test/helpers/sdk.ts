/** The official AMS SDK (`@antmedia/webrtc_adaptor`) as a peer, unchanged but for `iceServers: []`. */
import { WebRTCAdaptor } from '@antmedia/webrtc_adaptor';

export interface SdkPeer {
  adaptor: WebRTCAdaptor;
  /** Every `callback` info name, in order. */
  infos: string[];
  /** Every `callbackError` name, in order. */
  errors: string[];
}

/** Creates an adaptor and resolves once its socket is open (`initialized`). */
export function createSdkPeer(ws: string, options: Record<string, unknown>): Promise<SdkPeer> {
  const infos: string[] = [];
  const errors: string[] = [];
  return new Promise((resolve, reject) => {
    const adaptor: WebRTCAdaptor = new WebRTCAdaptor({
      websocket_url: ws,
      peerconnection_config: { iceServers: [] },
      debug: false,
      ...options,
      callback: (info: string) => {
        infos.push(info);
        if (info === 'initialized') resolve({ adaptor, infos, errors });
      },
      callbackError: (error: string) => {
        errors.push(error);
        if (error === 'WebSocketNotConnected') reject(new Error(`the SDK could not connect to ${ws}`));
      },
    });
  });
}
