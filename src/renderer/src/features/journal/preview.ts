/** A note's first words for the collapsed list (the full text is rendered only when opened). */
export function previewOf(body: string, maxCharacters = 240): { text: string; isTruncated: boolean } {
  const flat = body.replace(/\s+/g, ' ').trim();
  if (flat.length <= maxCharacters) return { text: flat, isTruncated: flat !== body.trim() };
  const cut = flat.slice(0, maxCharacters);
  const lastSpace = cut.lastIndexOf(' ');
  return { text: `${(lastSpace > maxCharacters * 0.6 ? cut.slice(0, lastSpace) : cut).trimEnd()} …`, isTruncated: true };
}

/** 15076512345 → "150765 12345", as the number is usually written. */
export function formatNationalId(nationalId: string): string {
  return /^\d{11}$/.test(nationalId) ? `${nationalId.slice(0, 6)} ${nationalId.slice(6)}` : nationalId;
}
