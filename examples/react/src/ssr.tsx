// The same App rendered to HTML in Node: the consumer test builds this with `vite build --ssr` and
// calls `render` (importing rtc-elements without a DOM must not throw).
import { renderToString } from 'react-dom/server';
import { App, type AppProps } from './App';

export const render = (props: AppProps): string => renderToString(<App {...props} />);
