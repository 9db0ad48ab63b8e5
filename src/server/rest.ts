/**
 * The subset of the AMS REST API (`/<App>/rest/v2/broadcasts/…`) a page's backend uses:
 * create, get, list and delete broadcasts, and make one-time tokens. Bad input gets a 4xx
 * JSON answer `{success: false, message}`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STREAM_ID_PATTERN } from '../core/protocol/ams.js';
import type { AppStore } from './streams.js';

/** Request bodies above this are refused with 413. */
export const MAX_BODY_BYTES = 16_384;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

/** Reads a JSON body of at most `MAX_BODY_BYTES`; an empty body is `{}`. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `the body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'the body is not valid JSON');
  }
}

const checkId = (id: string): string => {
  if (!STREAM_ID_PATTERN.test(id)) throw new HttpError(400, 'stream ids may use only A-Z a-z 0-9 _ . -');
  return id;
};

let counter = 0;
const newStreamId = (): string => `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 8)}`;

/**
 * Handles `rest/v2/…` below an app. `rest` is the path after `/<App>/rest/v2/` (no query).
 * Throws `HttpError` for bad input; the caller turns it into a JSON answer.
 */
export async function handleRest(
  req: IncomingMessage,
  res: ServerResponse,
  store: AppStore,
  rest: string,
  query: URLSearchParams,
): Promise<void> {
  const parts = rest.split('/').filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      throw new HttpError(400, 'the path is not valid');
    }
  });
  if (parts[0] !== 'broadcasts') throw new HttpError(404, 'no such route');
  const method = req.method ?? 'GET';

  // POST broadcasts/create
  if (parts.length === 2 && parts[1] === 'create') {
    if (method !== 'POST') throw new HttpError(405, 'use POST');
    const body = await readJsonBody(req);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'the body must be a JSON object');
    const { streamId, name } = body as Record<string, unknown>;
    if (streamId !== undefined && typeof streamId !== 'string') throw new HttpError(400, 'streamId must be a string');
    if (name !== undefined && typeof name !== 'string') throw new HttpError(400, 'name must be a string');
    const id = streamId ? checkId(streamId) : newStreamId();
    if (store.isRegistered(id)) throw new HttpError(409, `a broadcast with id ${id} already exists`);
    return sendJson(res, 200, store.create(id, name?.slice(0, 256)).broadcast);
  }

  // GET broadcasts/list/<offset>/<size>
  if (parts.length === 4 && parts[1] === 'list') {
    if (method !== 'GET') throw new HttpError(405, 'use GET');
    const offset = Number(parts[2]);
    const size = Number(parts[3]);
    if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(size) || size < 1 || size > 50)
      throw new HttpError(400, 'offset must be 0 or more and size from 1 to 50');
    return sendJson(res, 200, store.list(offset, size));
  }

  // GET broadcasts/<id>/token?expireDate=&type=
  if (parts.length === 3 && parts[2] === 'token') {
    if (method !== 'GET') throw new HttpError(405, 'use GET');
    const id = checkId(parts[1]!);
    if (!store.get(id)) throw new HttpError(404, `no broadcast with id ${id}`);
    const expireDate = Number(query.get('expireDate'));
    if (!Number.isInteger(expireDate) || expireDate <= Math.floor(Date.now() / 1000))
      throw new HttpError(400, 'expireDate must be a future time in unix seconds');
    const type = query.get('type') ?? 'publish';
    if (type !== 'publish' && type !== 'play') throw new HttpError(400, 'type must be publish or play');
    return sendJson(res, 200, store.createToken(id, type, expireDate));
  }

  // GET / DELETE broadcasts/<id>
  if (parts.length === 2) {
    const id = checkId(parts[1]!);
    if (method === 'GET') {
      const record = store.get(id);
      if (!record) throw new HttpError(404, `no broadcast with id ${id}`);
      return sendJson(res, 200, record.broadcast);
    }
    if (method === 'DELETE') {
      if (!store.delete(id)) throw new HttpError(404, `no broadcast with id ${id}`);
      return sendJson(res, 200, { success: true, message: '' });
    }
    throw new HttpError(405, 'use GET or DELETE');
  }
  throw new HttpError(404, 'no such route');
}
