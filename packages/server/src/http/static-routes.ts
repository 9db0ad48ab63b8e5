/** The demo at `/` and the built bundle at `/dist/…`: `GET` and `HEAD` only; 404 for what is not there. */
import { HttpError } from './json.js';
import type { Route, RouteHandler } from './router.js';
import { serveFile } from './static-files.js';

/** Serves the `*file` part of the path from `root`. */
const serveFrom =
  (root: string): RouteHandler =>
  async (req, res, { params }) => {
    if (!(await serveFile(res, root, params.file!, req.method ?? 'GET'))) throw new HttpError(404, 'not found');
  };

/** `/dist/*` from `distDir`, everything else from `demoDir` (a folder serves its `index.html`); a folder not given is not served. */
export function staticRoutes(demoDir: string | undefined, distDir: string | undefined): Route[] {
  const routes: Route[] = [];
  for (const [path, root] of [
    ['/dist/*file', distDir],
    ['/*file', demoDir],
  ] as const) {
    if (root === undefined) continue;
    const serve = serveFrom(root);
    routes.push({ path, methods: { GET: serve, HEAD: serve } });
  }
  return routes;
}
