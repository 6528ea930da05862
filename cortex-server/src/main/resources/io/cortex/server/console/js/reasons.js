// The plain-words description and usual fix of every reason code, as the server's ReasonCode enum
// states them (served as reason-codes.json next to the console).

let table = {};

/** Loads the table once, before the first page renders. A failure leaves codes without descriptions. */
export async function loadReasons() {
  try {
    const response = await fetch(new URL('../reason-codes.json', import.meta.url), { cache: 'no-cache' });
    if (response.ok) table = await response.json();
  } catch (e) {
    table = {};
  }
}

/** {description, suggestedAction} of a code, or undefined for a code this server does not know. */
export function reasonOf(code) {
  return table[code];
}
