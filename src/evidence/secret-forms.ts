/**
 * Every form in which a secret can appear in recorded data — raw, URL-encoded, JSON-escaped, base64
 * and base64url (at each of the three byte alignments, so a secret inside a larger encoded value,
 * such as `Basic base64(user:secret)`, is found too) and hex — and one Aho–Corasick automaton that
 * finds all of them, in any ASCII letter case, in a single pass over the text (linear in its length,
 * whatever the number of secrets and forms).
 */

/** Encoded cores shorter than this are not matched (too likely to occur by chance). */
const MIN_FORM_LENGTH = 6;

/** The distinct forms of one secret, longest first. */
export function secretForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = new Set<string>([
    secret,
    encodeURIComponent(secret),
    formEncode(secret),
    JSON.stringify(secret).slice(1, -1),
  ]);
  forms.add(bytes.toString('hex'));
  for (const form of base64Forms(bytes)) forms.add(form);
  return [...forms].filter((f) => f.length >= MIN_FORM_LENGTH).sort((a, b) => b.length - a.length);
}

function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

/** base64 and base64url of the secret at offsets 0, 1 and 2 in a byte stream, without the chars its neighbours affect. */
function base64Forms(bytes: Buffer): string[] {
  const forms: string[] = [bytes.toString('base64'), bytes.toString('base64url')];
  for (let offset = 0; offset < 3; offset += 1) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    const encoded = padded.toString('base64');
    const start = offset === 0 ? 0 : 4;
    const tail = padded.length % 3 === 0 ? 0 : 4;
    const core = encoded.slice(start, Math.max(start, encoded.length - tail));
    if (core.length >= MIN_FORM_LENGTH) forms.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
}

/** One match: where it starts and ends (exclusive) in the text. */
export interface FormMatch {
  start: number;
  end: number;
  pattern: number;
}

interface Node {
  next: Map<number, number>;
  fail: number;
  /** Length of the longest pattern ending here (via this node or its fail chain), and its index; 0 = none. */
  outLength: number;
  outPattern: number;
}

/** Folds ASCII A–Z to a–z, leaving every other code unit as it is (so lengths never change). */
function fold(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}

/** Aho–Corasick over code units with ASCII case folding. */
export class FormMatcher {
  private readonly nodes: Node[] = [{ next: new Map(), fail: 0, outLength: 0, outPattern: -1 }];

  constructor(readonly patterns: readonly string[]) {
    patterns.forEach((pattern, index) => this.insert(pattern, index));
    this.link();
  }

  /** Whether there is nothing to find. */
  get isEmpty(): boolean {
    return this.patterns.length === 0;
  }

  /** Non-overlapping matches, left to right, preferring the longest match at each end. */
  matches(text: string): FormMatch[] {
    const found: FormMatch[] = [];
    let state = 0;
    for (let i = 0; i < text.length; i += 1) {
      state = this.step(state, fold(text.charCodeAt(i)));
      const node = this.nodes[state] as Node;
      if (node.outLength === 0) continue;
      const match = { start: i + 1 - node.outLength, end: i + 1, pattern: node.outPattern };
      const last = found[found.length - 1];
      if (last !== undefined && match.start < last.end) {
        // Overlap: keep the union as one match (a longer form that contains a shorter one).
        if (match.start <= last.start) found[found.length - 1] = match;
        else last.end = Math.max(last.end, match.end);
      } else found.push(match);
    }
    return found;
  }

  /** `text` with every match replaced by `replacement`. */
  replace(text: string, replacement: string): string {
    if (this.isEmpty) return text;
    const found = this.matches(text);
    if (found.length === 0) return text;
    let out = '';
    let at = 0;
    for (const m of found) {
      out += text.slice(at, m.start) + replacement;
      at = m.end;
    }
    return out + text.slice(at);
  }

  private step(state: number, code: number): number {
    let s = state;
    for (;;) {
      const next = (this.nodes[s] as Node).next.get(code);
      if (next !== undefined) return next;
      if (s === 0) return 0;
      s = (this.nodes[s] as Node).fail;
    }
  }

  private insert(pattern: string, index: number): void {
    let state = 0;
    for (let i = 0; i < pattern.length; i += 1) {
      const code = fold(pattern.charCodeAt(i));
      const node = this.nodes[state] as Node;
      let next = node.next.get(code);
      if (next === undefined) {
        next = this.nodes.length;
        this.nodes.push({ next: new Map(), fail: 0, outLength: 0, outPattern: -1 });
        node.next.set(code, next);
      }
      state = next;
    }
    const end = this.nodes[state] as Node;
    if (pattern.length > end.outLength) {
      end.outLength = pattern.length;
      end.outPattern = index;
    }
  }

  private link(): void {
    const queue: number[] = [];
    for (const child of (this.nodes[0] as Node).next.values()) queue.push(child);
    for (let head = 0; head < queue.length; head += 1) {
      const id = queue[head] as number;
      const node = this.nodes[id] as Node;
      for (const [code, child] of node.next) {
        const childNode = this.nodes[child] as Node;
        childNode.fail = id === 0 ? 0 : this.step(node.fail, code);
        if (childNode.fail === child) childNode.fail = 0;
        const failNode = this.nodes[childNode.fail] as Node;
        if (failNode.outLength > childNode.outLength) {
          childNode.outLength = failNode.outLength;
          childNode.outPattern = failNode.outPattern;
        }
        queue.push(child);
      }
    }
  }
}
