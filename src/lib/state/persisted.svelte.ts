/**
 * One saved preference: a value kept in localStorage under its key, checked when it is read (what
 * `parse` cannot vouch for gives the default) and written back on every change. localStorage may be
 * missing (Node) or refuse a write (quota, a locked-down profile): the value then lasts this page.
 */

export interface PersistedFormat<T> {
  /** The saved text as a value, or undefined when it is not a valid one. */
  parse(saved: string): T | undefined;
  /** The value as saved text; undefined saves nothing (the default is then read next time). */
  serialize(value: T): string | undefined;
}

/** A format for values saved as JSON, checked by `validate` (which may also repair them). */
export function jsonFormat<T>(validate: (raw: unknown) => T | undefined): PersistedFormat<T> {
  return {
    parse: (saved) => {
      try {
        return validate(JSON.parse(saved));
      } catch {
        return undefined;
      }
    },
    serialize: (value) => JSON.stringify(value),
  };
}

/** A format for one of a fixed set of strings. */
export function oneOf<T extends string>(values: readonly T[], unsaved?: T): PersistedFormat<T> {
  return {
    parse: (saved) => values.find((value) => value === saved),
    serialize: (value) => (value === unsaved ? undefined : value),
  };
}

function storage(): Storage | undefined {
  return globalThis.localStorage;
}

export class Persisted<T> {
  #value: T;

  constructor(
    readonly key: string,
    /** The value when nothing valid is saved (a function: worked out only then). */
    private readonly fallback: () => T,
    private readonly format: PersistedFormat<T>,
    /** What the value does to the page (an attribute on <html>): done now and at every change. */
    private readonly apply: (value: T) => void = () => undefined,
  ) {
    const saved = storage()?.getItem(key);
    this.#value = $state.raw((saved == null ? undefined : format.parse(saved)) ?? fallback());
    apply(this.#value);
  }

  get current(): T {
    return this.#value;
  }

  set(value: T): void {
    this.#value = value;
    this.apply(value);
    const text = this.format.serialize(value);
    try {
      if (text === undefined) storage()?.removeItem(this.key);
      else storage()?.setItem(this.key, text);
    } catch (cause) {
      console.warn(`[settings] ${this.key} not saved`, cause);
    }
  }

  /** Back to the default, with nothing saved. */
  clear(): void {
    this.#value = this.fallback();
    this.apply(this.#value);
    storage()?.removeItem(this.key);
  }
}
