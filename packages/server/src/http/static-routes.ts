/**
 * The demo at `/` and the built bundle at `/dist/…`: `GET` and `HEAD`, 404 for what is not there.
 * They are public files: every answer carries `Access-Control-Allow-Origin: *` (a page on another
 * origin loads the bundle as a module script, which is always fetched with CORS), and `OPTIONS`
 * is answered 204 as a preflight.
 */
import { publicCors, publicPreflight } from './cors.js';
import { HttpError } from './json.js';
import type { Route, RouteHandler } from './router.js';
import { serveFile } from './static-files.js';

/** Serves the `*file` part of the path from `root`. */
const serveFrom =
  (root: string): RouteHandler =>
  async (req, res, { params }) => {
    publicCors(res);
    if (!(await serveFile(res, root, params.file!, req.method ?? 'GET'))) throw new HttpError(404, 'not found');
  };

const preflight: RouteHandler = (req, res) => publicPreflight(req, res);

/** `/dist/*` from `distDir`, everything else from `demoDir` (a folder serves its `index.html`); a folder not given is not served. */
export function staticRoutes(demoDir: string | undefined, distDir: string | undefined): Route[] {
  const routes: Route[] = [];
  for (const [path, root] of [
    ['/dist/*file', distDir],
    ['/*file', demoDir],
  ] as const) {
    if (root === undefined) continue;
    const serve = serveFrom(root);
    routes.push({ path, methods: { GET: serve, HEAD: serve, OPTIONS: preflight } });
  }
  return routes;
}
