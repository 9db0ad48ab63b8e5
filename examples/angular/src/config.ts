/** Where the example connects: `?server=ws://host:port/LiveApp/websocket&stream=…&room=…`. */
const params = new URLSearchParams(location.search);

export const serverUrl = params.get('server') ?? 'ws://127.0.0.1:5080/LiveApp/websocket';
export const streamId = params.get('stream') ?? 'example';
export const roomId = params.get('room') ?? 'example-room';
