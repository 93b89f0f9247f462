import { BlockList, isIP } from 'node:net';

/** Which rule refused an address; switch on this, never on the message. */
export type AddressRule = 'metadata' | 'unspecified' | 'link_local' | 'reserved' | 'private';

/** Why an address may not be delivered to. */
export interface AddressProblem {
  rule: AddressRule;
  /** What the address is and how to fix the webhook, to follow the address in a sentence. */
  reason: string;
}

const PUBLIC_OR_LOCAL =
  "point the webhook at your receiver's public address, or at localhost / 127.0.0.1 for a receiver on this machine";

function blockList(ipv4: readonly string[], ipv6: readonly string[]): BlockList {
  const list = new BlockList();
  for (const [cidr, type] of [
    ...ipv4.map((c) => [c, 'ipv4'] as const),
    ...ipv6.map((c) => [c, 'ipv6'] as const),
  ]) {
    const [address, prefix] = cidr.split('/') as [string, string | undefined];
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return list;
}

// Checked in this order: the first list that holds the address decides.
const RULES: ReadonlyArray<{ rule: AddressRule | 'loopback'; list: BlockList; reason: string }> = [
  {
    rule: 'metadata',
    // AWS/Azure/GCP/Oracle/DigitalOcean, AWS over IPv6, Alibaba.
    list: blockList(['169.254.169.254', '100.100.100.200'], ['fd00:ec2::254']),
    reason: `a cloud metadata service address, never allowed (it hands out credentials); ${PUBLIC_OR_LOCAL}`,
  },
  {
    rule: 'unspecified',
    list: blockList(['0.0.0.0/8'], ['::/128']),
    reason: `the unspecified address, never allowed (connecting to it reaches this machine under another name); ${PUBLIC_OR_LOCAL}`,
  },
  {
    rule: 'link_local',
    list: blockList(['169.254.0.0/16'], ['fe80::/10']),
    reason: `a link-local address (169.254.0.0/16, fe80::/10), never allowed (cloud metadata services live there); ${PUBLIC_OR_LOCAL}`,
  },
  {
    rule: 'reserved',
    list: blockList(['224.0.0.0/4', '240.0.0.0/4'], ['ff00::/8']),
    reason: `a multicast or reserved address, which cannot receive webhooks; ${PUBLIC_OR_LOCAL}`,
  },
  { rule: 'loopback', list: blockList(['127.0.0.0/8'], ['::1/128']), reason: '' },
  {
    rule: 'private',
    list: blockList(
      ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'],
      ['fc00::/7', 'fec0::/10'],
    ),
    reason:
      'a private-network address (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, fc00::/7), refused by default; start the mock server with --allow-private-network (allowPrivateNetwork: true) to deliver to containers or hosts on a private network',
  },
];

/**
 * Why the mock server must not deliver to the IP `address`, or null when it may (a public or
 * loopback address, or a private one with `allowPrivateNetwork`). IPv6 forms that carry an IPv4
 * address (mapped `::ffff:a.b.c.d`, compatible, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) are judged
 * by that IPv4 address. Not an IP address (a host name): null.
 *
 * @example
 * addressProblem('169.254.169.254', false)?.rule; // 'metadata'
 * addressProblem('10.0.0.7', true); // null
 */
export function addressProblem(address: string, allowPrivateNetwork: boolean): AddressProblem | null {
  const found = classify(address);
  if (!found || found.rule === 'loopback' || (found.rule === 'private' && allowPrivateNetwork)) return null;
  return { rule: found.rule, reason: found.reason };
}

/** True for 127.0.0.0/8, ::1 and their IPv4-in-IPv6 forms (brackets allowed). */
export function isLoopbackAddress(address: string): boolean {
  return classify(address)?.rule === 'loopback';
}

function classify(address: string): (typeof RULES)[number] | undefined {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 0) return undefined;
  const ipv4 = family === 6 ? embeddedIPv4(bare) : bare;
  return RULES.find(({ list }) => list.check(ipv4 ?? bare, ipv4 ? 'ipv4' : 'ipv6'));
}

/** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64 or 6to4), if any. */
function embeddedIPv4(ipv6: string): string | undefined {
  const words = ipv6Words(ipv6);
  if (!words) return undefined;
  const zeros = (from: number, to: number) => words.slice(from, to).every((word) => word === 0);
  const quad = (high: number, low: number) => [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  const [w0, w1, , , , w5, w6, w7] = words as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (zeros(0, 5) && w5 === 0xffff) return quad(w6, w7); // ::ffff:a.b.c.d
  if (zeros(0, 6) && (w6 !== 0 || w7 > 1)) return quad(w6, w7); // ::a.b.c.d (not :: or ::1)
  if (w0 === 0x64 && w1 === 0xff9b && zeros(2, 6)) return quad(w6, w7); // 64:ff9b::a.b.c.d
  if (w0 === 0x2002) return quad(w1, words[2] as number); // 2002:aabb:ccdd::
  return undefined;
}

/** The eight 16-bit words of a valid IPv6 address. */
function ipv6Words(ipv6: string): number[] | undefined {
  let text = ipv6.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) =>
    part === '' ? [] : part.split(':').map((word) => Number.parseInt(word, 16));
  const start = parse(head);
  const end = tail === undefined ? [] : parse(tail);
  const words = [...start, ...new Array(8 - start.length - end.length).fill(0), ...end];
  return words.length === 8 && words.every((word) => word >= 0 && word <= 0xffff) ? words : undefined;
}
