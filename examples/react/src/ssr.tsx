// The same App rendered to HTML in Node: the consumer test builds this with `vite build --ssr`, calls
// `render` and serves the HTML in the root of index.html, which src/main.tsx then hydrates.
import { renderToString } from 'react-dom/server';
import { App, type AppProps } from './App';

export const render = (props: AppProps): string => renderToString(<App {...props} />);
