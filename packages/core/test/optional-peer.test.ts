import { describe, expect, it } from 'vitest';
import { defineErrorFamily, loadOptionalPeer, type ErrorFamily, type SharedErrorCode } from '../src/index.js';
import { expectErrorCodeAsync } from '../src/testing/index.js';

type PeerErrorCode = 'ERR_PEER_MISSING' | SharedErrorCode;
const PeerError: ErrorFamily<PeerErrorCode> = defineErrorFamily('PeerError', '@interop/core/test/PeerError', { ERR_PEER_MISSING: 'The peer is missing.' });

interface Peer {
  open(): string;
  close(): void;
}

const options = { name: '@acme/peer', operation: 'acme.open', needs: ['open', 'close'] as const, family: PeerError, code: 'ERR_PEER_MISSING' as const };

describe('loadOptionalPeer', () => {
  it('returns the loaded module when it has every function the operation needs', async () => {
    const module = { open: () => 'opened', close: () => undefined, extra: 1 };
    const peer = await loadOptionalPeer<Peer, PeerErrorCode>(() => Promise.resolve(module), options);
    expect(peer).toBe(module);
    expect(peer.open()).toBe('opened');
  });

  it("turns a failed import into the caller's error, with the cause, the advice and the alternative", async () => {
    const failure = new Error("Cannot find package '@acme/peer'");
    const error = await expectErrorCodeAsync(
      () => loadOptionalPeer<Peer, PeerErrorCode>(() => Promise.reject(failure), { ...options, alternative: 'open it another way' }),
      'ERR_PEER_MISSING',
      {
        family: PeerError,
      },
    );
    expect(error.cause).toBe(failure);
    expect(error.message).toContain('acme.open needs the optional package @acme/peer');
    expect(error.message).toContain("Cannot find package '@acme/peer'");
    expect(error.message).toContain('npm install @acme/peer) or open it another way.');
    expect(error.details).toMatchObject({ operation: 'acme.open', peer: '@acme/peer' });
  });

  it('refuses a peer that lacks a needed function (too old), or is not a module at all', async () => {
    const old = await expectErrorCodeAsync(
      () => loadOptionalPeer<Peer, PeerErrorCode>(() => Promise.resolve({ open: () => 'x', close: 'not a function' }), options),
      'ERR_PEER_MISSING',
      {
        family: PeerError,
      },
    );
    expect(old.message).toBe('The installed @acme/peer has no close function, which acme.open needs; upgrade @acme/peer.');
    expect(old.details).toMatchObject({ missing: 'close' });
    for (const module of [null, undefined, 7]) {
      await expectErrorCodeAsync(() => loadOptionalPeer<Peer, PeerErrorCode>(() => Promise.resolve(module), options), 'ERR_PEER_MISSING', {
        family: PeerError,
      });
    }
  });

  it('describes a thrown value that is not an Error', async () => {
    // What a loader that rejects with a string (not an Error) does.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the case under test
    const load = (): Promise<unknown> => Promise.reject('no such file');
    const error = await expectErrorCodeAsync(() => loadOptionalPeer<Peer, PeerErrorCode>(load, options), 'ERR_PEER_MISSING');
    expect(error.message).toContain('(no such file)');
  });
});
