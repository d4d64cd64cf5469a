import 'reflect-metadata';
import {
  ArrayMaxSize,
  IsDefined,
  IsOptional,
  IsString,
  MaxLength,
  registerDecorator,
  ValidateIf,
  ValidateNested,
  validateSync,
  ValidatorOptions,
} from 'class-validator';
import { CleanValidation } from './clean-validation';
import { cacheValidationMetadata } from './validation-metadata-cache';
import { BeneficiaryRequest, ValidateTransactionRequest } from './validate-transaction.request';

const PIPE_OPTIONS: ValidatorOptions = { forbidUnknownValues: false, stopAtFirstError: true };
// As the service runs: class-validator's lookups cached, so plans are kept and reused.
cacheValidationMetadata();
const clean = new CleanValidation();

/** Deterministic, so that a failure names a body that can be found again. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const ODD = [undefined, null, '', 0, -1, 12.5, true, [], {}, ['x'], 'x'.repeat(2_000), 'a\u0000b', '  ', NaN];
const CHOICES: Record<string, unknown[]> = {
  transactionId: ['tx-1', '6f1c2a9e-2d1b', 'x'.repeat(128), 'x'.repeat(129), 'tab\there', ...ODD],
  id: ['id-1', ...ODD, undefined, undefined, undefined],
  amount: ['125.50', '0', '0.00', '1e3', '-5', '10.', 125.5, 0.01, Infinity, '1234567890123456789012345', ...ODD],
  currency: ['GBP', 'EUR', 'gbp', 'USDTOKEN', 'TOOLONGCURRENCY', ...ODD],
  customerId: ['cust-1', 'x'.repeat(129), ...ODD, undefined, undefined],
  sourceAccountId: ['acc-1', ...ODD, undefined],
  reference: ['Invoice 42', 'x'.repeat(1_025), ...ODD, undefined],
  createdAt: ['2026-12-01T10:00:00Z', '2026-13-01', 'yesterday', ...ODD, undefined, undefined],
  paymentScheme: ['FPS', 'x'.repeat(65), undefined, undefined, 7],
};
const BENEFICIARY: Record<string, unknown[]> = {
  name: ['Ada Lovelace', 'x'.repeat(257), undefined, 3, null],
  iban: ['GB33BUKB20201555555555', 'x'.repeat(65), undefined, {}],
  country: ['GB', 'gb', 'XX', 'GBR', undefined, undefined, 44],
  bic: ['BUKBGB22', undefined, undefined, ['BUKBGB22']],
};

function pick<T>(next: () => number, values: T[]): T {
  return values[Math.floor(next() * values.length)]!;
}

function someBody(next: () => number): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [field, values] of Object.entries(CHOICES)) {
    // Mostly valid, as traffic is: the first choice (valid) most of the time.
    const value = next() < 0.88 ? values[0] : pick(next, values);
    if (value !== undefined || next() < 0.1) body[field] = value;
  }
  const shape = next();
  if (shape < 0.6) {
    const beneficiary: Record<string, unknown> = {};
    for (const [field, values] of Object.entries(BENEFICIARY)) {
      const value = next() < 0.88 ? values[0] : pick(next, values);
      if (value !== undefined) beneficiary[field] = value;
    }
    body['beneficiary'] = Object.assign(Object.create(BeneficiaryRequest.prototype), beneficiary);
  } else if (shape < 0.8) {
    body['beneficiary'] = pick(next, [null, 'GB33', [], [{ name: 'x' }], 7, { name: 'plain object' }]);
  }
  if (next() < 0.2) body['unknownField'] = { nested: ['kept'] };
  return Object.assign(Object.create(ValidateTransactionRequest.prototype), body);
}

describe('CleanValidation', () => {
  it('agrees with class-validator on every one of 20,000 validate bodies, valid or not', () => {
    const next = random(20261202);
    let valid = 0;
    for (let n = 0; n < 20_000; n++) {
      const body = someBody(next);
      const errors = validateSync(body, PIPE_OPTIONS);
      const said = clean.isClean(body);
      if (said !== (errors.length === 0)) throw new Error(`body ${n}: clean said ${said}, class-validator found ${errors.length} errors in ${JSON.stringify(body)}`);
      if (said) valid += 1;
    }
    // Both kinds must be well represented, or the agreement says little.
    expect(valid).toBeGreaterThan(2_000);
    expect(valid).toBeLessThan(18_000);
  });

  it('follows @ValidateIf, a rule’s own validateIf, and the rules of a nested class', () => {
    class Inner {
      @IsString() label!: unknown;
    }
    class Outer {
      @ValidateIf((outer: Outer) => outer.kind === 'named') @IsString() name?: unknown;
      @MaxLength(3, { validateIf: (outer: Outer) => outer.kind !== 'free' }) code?: unknown;
      @IsOptional() @ValidateNested() inner?: unknown;
      kind?: string;
    }
    const outer = (fields: Partial<Outer>) => Object.assign(new Outer(), { code: 'abc', ...fields });
    const inner = (label: unknown) => Object.assign(new Inner(), { label });

    expect(clean.isClean(outer({ kind: 'other', name: 5 }))).toBe(true);
    expect(clean.isClean(outer({ kind: 'named', name: 5 }))).toBe(false);
    expect(clean.isClean(outer({ kind: 'free', code: 'abcdef' }))).toBe(true);
    expect(clean.isClean(outer({ code: 'abcdef' }))).toBe(false);
    expect(clean.isClean(outer({ inner: inner('ok') }))).toBe(true);
    expect(clean.isClean(outer({ inner: inner(5) }))).toBe(false);
    expect(clean.isClean(outer({ inner: 'not an object' }))).toBe(false);
    for (const fields of [{ kind: 'other', name: 5 }, { kind: 'free', code: 'abcdef' }, { inner: inner('ok') }]) {
      expect(validateSync(outer(fields), PIPE_OPTIONS)).toEqual([]);
    }
  });

  it('asks @IsDefined, and refuses a null nested object that is not optional', () => {
    class Leaf {
      @IsString() label: unknown = 'ok';
    }
    class Required {
      @IsDefined() must: unknown = 'here';
      @ValidateNested() leaf: unknown = new Leaf();
    }
    const required = (fields: Partial<Required>) => Object.assign(new Required(), fields);
    expect(clean.isClean(required({}))).toBe(true);
    for (const fields of [{ must: undefined }, { must: null }, { leaf: null }, { leaf: 'text' }]) {
      expect(validateSync(required(fields), PIPE_OPTIONS)).not.toEqual([]);
      expect(clean.isClean(required(fields))).toBe(false);
    }
  });

  it('sees a rule added after the class was first checked', () => {
    class Growing {
      name: unknown = 'x'.repeat(10);
    }
    IsString()(Growing.prototype, 'name');
    expect(clean.isClean(new Growing())).toBe(true);
    expect(clean.isClean(new Growing())).toBe(true); // the plan, reused
    MaxLength(5)(Growing.prototype, 'name');
    expect(validateSync(new Growing(), PIPE_OPTIONS)).not.toEqual([]);
    expect(clean.isClean(new Growing())).toBe(false);
  });

  it('sends to class-validator every object whose rules it does not follow, however valid', () => {
    class Each {
      @IsString({ each: true }) tags: unknown = ['a', 'b'];
    }
    class Grouped {
      @IsString({ groups: ['strict'] }) name: unknown = 'Ada';
    }
    class NestedList {
      @ValidateNested() items: unknown = [];
    }
    class Limited {
      @ArrayMaxSize(2) items: unknown = ['a'];
    }
    class Deferred {
      deferred: unknown = 'x';
    }
    registerDecorator({
      name: 'answersLater',
      target: Deferred,
      propertyName: 'deferred',
      validator: { validate: () => Promise.resolve(true) as unknown as boolean },
    });

    for (const object of [new Each(), new Grouped(), new NestedList(), new Deferred()]) {
      expect(validateSync(object, PIPE_OPTIONS)).toEqual([]);
      expect(clean.isClean(object)).toBe(false);
    }
    expect(clean.isClean(new Limited())).toBe(true);
  });

  it('calls each constraint with the arguments class-validator gives it', () => {
    const seen: unknown[] = [];
    class Probed {
      probed: unknown = 'value';
    }
    registerDecorator({
      name: 'probed',
      target: Probed,
      propertyName: 'probed',
      constraints: [42],
      validator: {
        validate: (value, args) => {
          seen.push({ value, ...args, object: args?.object === probed });
          return true;
        },
      },
    });
    const probed = new Probed();
    expect(clean.isClean(probed)).toBe(true);
    validateSync(probed, PIPE_OPTIONS);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toEqual(seen[1]);
    expect(seen[0]).toEqual({ value: 'value', targetName: 'Probed', property: 'probed', object: true, constraints: [42] });
  });
});
