// Server icons and avatars show initials instead of images (this version has no uploads).

/** "Parley Dev Team" -> "PDT"; "général" -> "G"; capped at three characters. */
export function initialsOf(name: string, max = 3): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return "?";
  const letters = words.map((w) => Array.from(w)[0] ?? "").join("");
  return Array.from(letters).slice(0, max).join("").toUpperCase();
}

/**
 * A stable hue per id so the same person always gets the same avatar colour. Snowflakes made
 * close together differ only in their last digits, so the hash is finished with an avalanche
 * step (murmur3's): otherwise people who signed up together would all get the same colour.
 */
export function hueOf(id: string): number {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (Math.imul(hash, 31) + id.charCodeAt(i)) >>> 0;
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return ((hash ^ (hash >>> 16)) >>> 0) % 360;
}
