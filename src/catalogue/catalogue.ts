/**
 * A loaded catalogue: the published list of record types (product rule 1). Built only by the
 * loader (load.ts), which has already checked every item, so lookups here never re-validate.
 */
import { invalidInput } from '../shared/errors.ts';
import type { CatalogueItem, Domain } from './schema.ts';
import { SOURCE_KINDS, type SourceKind } from './source-kinds.ts';

export class Catalogue {
  /** Identity of this catalogue: sha256 (hex) of the file text, so records and scores can cite it. */
  readonly version: string;
  /** The human label from the file (`catalogue_version`), e.g. "2026.1". */
  readonly label: string;
  /** Where the catalogue was read from (a path, or a name given by the caller). */
  readonly origin: string;
  readonly items: readonly CatalogueItem[];
  readonly #byCode: ReadonlyMap<string, CatalogueItem>;
  readonly #bySource: ReadonlyMap<SourceKind, readonly CatalogueItem[]>;

  constructor(args: { version: string; label: string; origin: string; items: readonly CatalogueItem[] }) {
    this.version = args.version;
    this.label = args.label;
    this.origin = args.origin;
    this.items = Object.freeze([...args.items]);
    this.#byCode = new Map(this.items.map((item) => [item.code, item]));
    this.#bySource = new Map(
      SOURCE_KINDS.map((kind) => [kind, this.items.filter((item) => item.source_kinds.includes(kind))]),
    );
  }

  /** The record type with this code, or undefined. */
  get(code: string): CatalogueItem | undefined {
    return this.#byCode.get(code);
  }

  /** The record type with this code; `invalid_input` when it is not catalogued. */
  getOrThrow(code: string): CatalogueItem {
    const item = this.#byCode.get(code);
    if (!item) {
      throw invalidInput(
        `unknown record type "${code}": it is not in catalogue ${this.label} ` +
          '(product rule 1: only catalogued record types are accepted)',
        [{ field: 'type', message: `unknown record type "${code}"` }],
      );
    }
    return item;
  }

  /** The record types a source of this kind may submit. */
  typesForSourceKind(kind: SourceKind): CatalogueItem[] {
    return [...(this.#bySource.get(kind) ?? [])];
  }

  /** The record types of one domain. */
  typesForDomain(domain: Domain): CatalogueItem[] {
    return this.items.filter((item) => item.domain === domain);
  }

  /** Whether a source of this kind may submit records of this type. */
  isAllowed(code: string, sourceKind: SourceKind): boolean {
    return this.#byCode.get(code)?.source_kinds.includes(sourceKind) ?? false;
  }
}

/** A catalogue as plain data, to hand to another thread of this process. */
export interface CatalogueData {
  version: string;
  label: string;
  origin: string;
  items: readonly CatalogueItem[];
}

/** The plain data of a loaded catalogue. */
export const catalogueData = (c: Catalogue): CatalogueData => ({
  version: c.version,
  label: c.label,
  origin: c.origin,
  items: c.items,
});

/**
 * Rebuilds a catalogue from `catalogueData` of one this process loaded (and so already checked),
 * e.g. on a worker thread: nothing is re-read or re-validated, and both threads use the same one.
 */
export const restoreCatalogue = (data: CatalogueData): Catalogue => new Catalogue(data);
