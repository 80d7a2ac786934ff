/** A three-valued answer: a statement applies, does not, or depends on a key the context marks unknown. */
export type Tri = boolean | 'unknown';

/** AND: false wins, then unknown. */
export function triAll(values: Iterable<Tri>): Tri {
  let unknown = false;
  for (const v of values) {
    if (v === false) return false;
    if (v === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : true;
}

/** OR: true wins, then unknown. */
export function triAny(values: Iterable<Tri>): Tri {
  let unknown = false;
  for (const v of values) {
    if (v === true) return true;
    if (v === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : false;
}

export function triNot(v: Tri): Tri {
  return v === 'unknown' ? v : !v;
}
