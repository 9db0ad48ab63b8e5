/** chai's `expect` without the DOM plugins, importable in the browser and in Node alike. */
import { expect } from '@esm-bundle/chai/esm/chai.js';
import { RtcError } from '../../src/core/errors.js';

export { expect };

/** The `RtcError` `promise` rejects with (fails the test if it resolves or rejects with something else). */
export async function rejectionOf(promise: Promise<unknown>): Promise<RtcError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(RtcError);
    return error as RtcError;
  }
  throw new Error('expected a rejection');
}
