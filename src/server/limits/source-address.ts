import { isIPv4, isIPv6 } from 'node:net';

/**
 * The unit an attacker pays for (AUTH-4, PLAT-9): one IPv4 address, or one IPv6 /64 — a single
 * customer line usually gets a whole /64, so counting full IPv6 addresses would hand an attacker
 * 2^64 fresh "sources". An IPv4-mapped IPv6 address counts as its IPv4 address. Anything else
 * (a test caller without a socket) is one shared "unknown" source.
 */
export function sourceOf(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped?.[1] && isIPv4(mapped[1])) return mapped[1];
  if (isIPv4(address)) return address;
  if (isIPv6(address)) return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
  return 'unknown';
}

/** The eight groups of an IPv6 address, zero-filled ("2001:db8::1" → 2001, db8, 0, … 1). */
function expandIPv6(address: string): string[] {
  const [head = '', tail = ''] = address.split('%')[0]?.split('::') ?? [];
  const left = head ? head.split(':') : [];
  const right = address.includes('::') ? (tail ? tail.split(':') : []) : [];
  // An embedded IPv4 tail ("::1.2.3.4") is two groups.
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return groups.slice(0, 8).map((group) => (group.includes('.') ? '0' : (Number.parseInt(group, 16) || 0).toString(16)));
}
