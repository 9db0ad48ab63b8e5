import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { roomId, serverUrl, streamId } from './config';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App serverUrl={serverUrl} streamId={streamId} roomId={roomId} />
  </StrictMode>,
);
