/**
 * The card schemas of card-schemas/: one file per card type and version (`coupon.v1.json`) plus
 * shared parts (`common.v1.json`). Loaded and compiled once on the platform's one validator, in
 * two modes: `template` (text fields and URLs may hold {{variables}}) and `send` (a rendered card,
 * every rule applies).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnySchemaObject, ValidateFunction } from 'ajv/dist/2020.js';
import { check, jsonValidator, type SchemaProblem } from './json-validator.js';
import { templateVariant } from './template-keywords.js';
import { CARD_TYPES, isCardType, type Card, type CardType } from './card-model.js';

export const CARD_SCHEMAS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'card-schemas');

export type CardMode = 'template' | 'send';

/** A schema file as read from card-schemas/. */
export interface CardSchemaFile {
  file: string;
  /** The card type, or undefined for shared parts (common.v1.json). */
  type?: CardType;
  version: number;
  schema: AnySchemaObject;
}

/** A card checked against its schema: the card (version filled in) or the broken rules. */
export type CardCheck = { ok: true; card: Card } | { ok: false; problems: SchemaProblem[] };

const FILE = /^([a-z-]+)\.v(\d+)\.json$/;

/** Reads every schema file (no compiling). */
export function readCardSchemaFiles(dir = CARD_SCHEMAS_DIR): CardSchemaFile[] {
  return readdirSync(dir).filter((f) => FILE.test(f)).sort().map((file) => {
    const [, name, version] = FILE.exec(file)!;
    const schema = JSON.parse(readFileSync(join(dir, file), 'utf8')) as AnySchemaObject;
    if (schema.$id !== `https://sms-platform.example/card-schemas/${file}`) throw new Error(`card schema ${file}: $id must end in /card-schemas/${file}`);
    return { file, type: isCardType(name) ? name : undefined, version: Number(version), schema };
  });
}

export class CardSchemaSet {
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly latest = new Map<CardType, number>();
  readonly files: readonly CardSchemaFile[];

  constructor(dir = CARD_SCHEMAS_DIR) {
    const ajv = jsonValidator();
    this.files = readCardSchemaFiles(dir);
    for (const f of this.files) {
      if (!ajv.getSchema(f.schema.$id!)) ajv.addSchema(f.schema);
      const variant = templateVariant(f.schema);
      if (!ajv.getSchema(variant.$id!)) ajv.addSchema(variant);
    }
    for (const f of this.files) {
      if (!f.type) continue;
      this.validators.set(key(f.type, f.version, 'send'), ajv.getSchema(f.schema.$id!)!);
      this.validators.set(key(f.type, f.version, 'template'), ajv.getSchema(templateVariant(f.schema).$id!)!);
      this.latest.set(f.type, Math.max(f.version, this.latest.get(f.type) ?? 0));
    }
    const missing = CARD_TYPES.filter((t) => !this.latest.has(t));
    if (missing.length) throw new Error(`card-schemas/ has no schema for ${missing.join(', ')}`);
  }

  /** The newest schema version of a card type. */
  latestVersion(type: CardType): number {
    return this.latest.get(type)!;
  }

  /** The schema file of a card type and version, if there is one. */
  schemaOf(type: CardType, version: number): CardSchemaFile | undefined {
    return this.files.find((f) => f.type === type && f.version === version);
  }

  /**
   * Checks a card (a copy with `version` defaulted to the type's latest). Fields are named under
   * `prefix` (`card` → `card.buttons.0.url`).
   */
  check(card: unknown, mode: CardMode, prefix = ''): CardCheck {
    const at = (f: string) => [prefix, f].filter(Boolean).join('.');
    if (!card || typeof card !== 'object' || Array.isArray(card)) return { ok: false, problems: [{ field: prefix, rule: 'type', message: 'must be an object' }] };
    const c = card as Record<string, unknown>;
    if (!isCardType(c.type)) {
      return { ok: false, problems: [{ field: at('type'), rule: 'enum', message: `must be one of ${CARD_TYPES.map((t) => JSON.stringify(t)).join(', ')}` }] };
    }
    const version = c.version ?? this.latestVersion(c.type);
    const validate = typeof version === 'number' ? this.validators.get(key(c.type, version, mode)) : undefined;
    if (!validate) {
      const known = this.files.filter((f) => f.type === c.type).map((f) => f.version);
      return { ok: false, problems: [{ field: at('version'), rule: 'enum', message: `${c.type} cards have schema version ${known.join(', ')}` }] };
    }
    const r = check<Card>(validate, { ...c, version }, prefix);
    return r.ok ? { ok: true, card: r.value } : r;
  }
}

const key = (type: string, version: number, mode: CardMode) => `${type}.v${version}.${mode}`;

let shared: CardSchemaSet | undefined;

/** The card schemas, compiled once per process. */
export function cardSchemas(): CardSchemaSet {
  shared ??= new CardSchemaSet();
  return shared;
}
