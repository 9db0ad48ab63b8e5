import { StrictMode } from 'react';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { App } from './App';
import { roomId, serverUrl, streamId } from './config';

const root = document.getElementById('root')!;
const app = (
  <StrictMode>
    <App serverUrl={serverUrl} streamId={streamId} roomId={roomId} />
  </StrictMode>
);
// A page served with the HTML of src/ssr.tsx in its root is hydrated; the empty one is rendered.
if (root.hasChildNodes()) hydrateRoot(root, app);
else createRoot(root).render(app);
