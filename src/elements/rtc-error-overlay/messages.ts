/**
 * Viewer-facing wording of the error overlay (STYLE.md convention 4). Each catalog code carries
 * its own title and sentence in `ERROR_CATALOG` (one entry a code, so nothing can go missing and
 * the bundle holds each sentence once); codes the catalog does not know get a generic entry.
 * Viewers never see a raw code.
 */
import { catalogEntry, ERROR_CATALOG, isCatalogCode, type RtcErrorCode } from '../../core/errors.js';

/** A title and a one-sentence message, plain text. */
export interface OverlayMessage {
  readonly title: string;
  readonly message: string;
}

/** Whether the overlay has wording of its own for `code` (own keys only: not `constructor`, `__proto__`). */
export const hasMessage = (code: string): boolean => isCatalogCode(code);

/** The wording of any code, known or not. */
export const messageFor = (code: string): OverlayMessage => {
  const { title, description } = catalogEntry(code);
  return { title, message: description };
};

/** The wording for codes the catalog does not know. */
export const GENERIC_MESSAGE: OverlayMessage = /* @__PURE__ */ messageFor('');

/**
 * Every catalog code with its wording (tests and docs read this; the overlay calls `messageFor`).
 * Built in a pure function call, so a bundle that never reads it drops all of it.
 */
export const MESSAGES = /* @__PURE__ */ (() => Object.fromEntries(Object.keys(ERROR_CATALOG).map((code) => [code, messageFor(code)])))() as {
  readonly [code in RtcErrorCode]: OverlayMessage;
};
