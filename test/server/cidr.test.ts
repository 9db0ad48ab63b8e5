// The CIDR matcher behind remoteAllowedCIDR (packages/server/src/http/cidr.ts): IPv4, IPv6 and
// IPv4-mapped IPv6 addresses, prefixes on and off byte boundaries, and what it refuses to read.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressAllowed, addressBytes, CidrError, inCidr, parseCidr, parseCidrList } from '../../packages/server/src/http/cidr.js';

const hex = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).toString('hex') : undefined);
const matches = (cidr: string, address: string) => inCidr(addressBytes(address)!, parseCidr(cidr));

describe('CIDR matcher', () => {
  it('reads IPv4 as IPv4-mapped IPv6, and IPv6 in every spelling', () => {
    assert.equal(hex(addressBytes('127.0.0.1')), '00000000000000000000ffff7f000001');
    assert.equal(hex(addressBytes('::ffff:127.0.0.1')), '00000000000000000000ffff7f000001');
    assert.equal(hex(addressBytes('::ffff:7f00:1')), '00000000000000000000ffff7f000001');
    assert.equal(hex(addressBytes('::1')), '00000000000000000000000000000001');
    assert.equal(hex(addressBytes('::')), '00000000000000000000000000000000');
    assert.equal(hex(addressBytes('2001:db8::')), '20010db8000000000000000000000000');
    assert.equal(hex(addressBytes('2001:DB8:0:0:1:0:0:1')), '20010db8000000000001000000000001');
    assert.equal(hex(addressBytes('fe80::1%eth0')), 'fe800000000000000000000000000001');
    for (const bad of ['', 'localhost', '127.1', '256.0.0.1', '1.2.3.4.5', '::g', '1:2:3:4:5:6:7:8:9']) assert.equal(addressBytes(bad), undefined, bad);
  });

  it('matches IPv4 addresses and ranges, a mapped client address too', () => {
    assert.ok(matches('127.0.0.1', '127.0.0.1'));
    assert.ok(matches('127.0.0.1', '::ffff:127.0.0.1'));
    assert.ok(!matches('127.0.0.1', '127.0.0.2'));
    assert.ok(matches('127.0.0.1/8', '127.255.3.4'), 'host bits in the range are ignored, as AMS does');
    assert.ok(!matches('127.0.0.0/8', '128.0.0.1'));
    assert.ok(matches('192.168.1.0/24', '::ffff:192.168.1.200'));
    assert.ok(!matches('192.168.1.0/24', '192.168.2.1'));
    // Off a byte boundary: /20 is 10.0.0.0 to 10.0.15.255.
    assert.ok(matches('10.0.0.0/20', '10.0.15.255'));
    assert.ok(!matches('10.0.0.0/20', '10.0.16.0'));
    assert.ok(matches('0.0.0.0/0', '203.0.113.9'));
    assert.ok(!matches('0.0.0.0/0', '::1'), 'an IPv4 range holds no IPv6 address');
  });

  it('matches IPv6 addresses and ranges', () => {
    assert.ok(matches('::1', '::1'));
    assert.ok(!matches('::1', '::2'));
    assert.ok(!matches('::1', '127.0.0.1'));
    assert.ok(matches('2001:db8::/32', '2001:db8:ffff::1'));
    assert.ok(!matches('2001:db8::/32', '2001:db9::1'));
    assert.ok(matches('fe80::/10', 'febf::1'));
    assert.ok(!matches('fe80::/10', 'fec0::1'));
    assert.ok(matches('::ffff:10.0.0.0/104', '10.1.2.3'), 'a mapped range holds the IPv4 addresses it maps');
    assert.ok(matches('::/0', '8.8.8.8'));
  });

  it('reads a comma-separated list and refuses what is not a range, naming it', () => {
    assert.equal(parseCidrList('127.0.0.1, ::1,,10.0.0.0/8 ').length, 3);
    assert.deepEqual(parseCidrList(''), []);
    for (const bad of ['localhost', '10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/-1', '10.0.0.0/8/8', 'fe80::1%eth0', '1.2.3']) {
      assert.throws(
        () => parseCidrList(`127.0.0.1,${bad}`),
        (e: unknown) => e instanceof CidrError && e.message.includes(JSON.stringify(bad)),
        bad,
      );
    }
  });

  it('allows a client address in one of the ranges and refuses others, an unknown one and any with an empty list', () => {
    const list = '127.0.0.1,::1,192.0.2.0/24';
    for (const ok of ['127.0.0.1', '::ffff:127.0.0.1', '::1', '192.0.2.77', '::ffff:192.0.2.1']) assert.ok(addressAllowed(list, ok), ok);
    for (const no of ['127.0.0.2', '::2', '198.51.100.1', 'not-an-address', undefined]) assert.ok(!addressAllowed(list, no), String(no));
    assert.ok(!addressAllowed('', '127.0.0.1'));
  });
});
