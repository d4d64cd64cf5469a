import 'reflect-metadata';
import {
  getMetadataStorage,
  IsInt,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  ValidateNested,
  validateSync,
  ValidationError,
  ValidatorOptions,
} from 'class-validator';
import { cacheValidationMetadata } from './validation-metadata-cache';

// Each jest test file has its own global object, so class-validator's storage here is this file's alone.
class Address {
  @IsString() street!: string;
  @IsOptional() @MaxLength(8) postcode?: string;
}

class Party {
  @IsString() @MaxLength(10) name!: string;
  @IsInt({ groups: ['strict'] }) @Min(1, { groups: ['strict'] }) rank?: unknown;
  @IsOptional() @IsString() title?: unknown;
}

class Customer extends Party {
  @ValidateNested() address!: Address;
  @MaxLength(3) override name = '';
}

function customer(fields: Record<string, unknown>): Customer {
  const address = Object.assign(new Address(), fields['address'] ?? { street: 'High St' });
  return Object.assign(new Customer(), { name: 'Ada', rank: 1, ...fields, address });
}

/** What matters of an answer: which property broke which rule, at any depth. */
function summary(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    return [...Object.keys(error.constraints ?? {}).map((rule) => `${field}:${rule}`), ...summary(error.children ?? [], field)].sort();
  });
}

const cases: [string, Record<string, unknown>, ValidatorOptions][] = [
  ['valid', {}, {}],
  ['an own rule overriding an inherited one', { name: 'Adalovelace' }, {}],
  ['an inherited rule', { title: 42 }, {}],
  ['an unknown field, with the options the service validates with', { extra: 1 }, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true }],
  ['a nested rule', { address: { street: 1, postcode: 'much too long' } }, {}],
  ['a grouped rule, no group asked for', { rank: 0 }, {}],
  ['a grouped rule, no group asked for, strictly', { rank: 0 }, { strictGroups: true }],
  ['a grouped rule of the group asked for', { rank: 0 }, { groups: ['strict'] }],
  ['a grouped rule of another group', { rank: 'x' }, { groups: ['other'] }],
];

describe('cacheValidationMetadata', () => {
  const storage = getMetadataStorage();
  const uncached = new Map(cases.map(([name, fields, options]) => [name, summary(validateSync(customer(fields), options))]));
  // As @nestjs/mapped-types asks, with a null schema, when it copies a class's rules.
  const rulesOf = (rules: { propertyName: string; type: string }[]) => rules.map(({ propertyName, type }) => `${propertyName}:${type}`);
  const copiedUncached = rulesOf(storage.getTargetValidationMetadatas(Customer, null as unknown as string, false, false));
  const lookUp = jest.spyOn(storage, 'getTargetValidationMetadatas');
  cacheValidationMetadata();

  it.each(cases)('answers as the library does: %s', (name, fields, options) => {
    const answer = summary(validateSync(customer(fields), options));
    expect(answer).toEqual(uncached.get(name));
    // Twice, so that the second answer comes from what the first left behind.
    expect(summary(validateSync(customer(fields), options))).toEqual(answer);
  });

  it('found real failures to compare with', () => {
    expect(uncached.get('valid')).toEqual([]);
    expect(uncached.get('an own rule overriding an inherited one')).toEqual(['name:maxLength']);
    expect(uncached.get('an inherited rule')).toEqual(['title:isString']);
    expect(uncached.get('an unknown field, with the options the service validates with')).toEqual(['extra:whitelistValidation']);
    expect(uncached.get('a nested rule')).toEqual(['address.postcode:maxLength', 'address.street:isString']);
    expect(uncached.get('a grouped rule, no group asked for')).toEqual(['rank:min']);
    expect(uncached.get('a grouped rule, no group asked for, strictly')).toEqual([]);
    expect(uncached.get('a grouped rule of the group asked for')).toEqual(['rank:min']);
    // No rule of that group anywhere: the library refuses the object as unknown (an empty answer remembered).
    expect(uncached.get('a grouped rule of another group')).toEqual(['undefined:unknownValue']);
  });

  it('looks a class up once per question, not once per validation', () => {
    class Fresh {
      @IsString() label!: string;
    }
    lookUp.mockClear();
    for (let i = 0; i < 5; i++) validateSync(Object.assign(new Fresh(), { label: i }));
    expect(lookUp.mock.calls.filter(([target]) => target === Fresh)).toHaveLength(1);
    for (let i = 0; i < 5; i++) validateSync(Object.assign(new Fresh(), { label: i }), { groups: ['strict'] });
    expect(lookUp.mock.calls.filter(([target]) => target === Fresh)).toHaveLength(2);
  });

  it('applies a rule added after the class was first validated', () => {
    class Growing {
      @IsString() label!: string;
    }
    const sample = () => Object.assign(new Growing(), { label: 'ok', size: 'large' });
    expect(validateSync(sample())).toEqual([]);
    IsInt()(Growing.prototype, 'size');
    expect(summary(validateSync(sample()))).toEqual(['size:isInt']);
  });

  it('answers a direct lookup with a null schema as the library does', () => {
    expect(copiedUncached.length).toBeGreaterThan(5);
    for (let i = 0; i < 2; i++) expect(rulesOf(storage.getTargetValidationMetadatas(Customer, null as unknown as string, false, false))).toEqual(copiedUncached);
  });

  it("applies a parent's rule added after a subclass was first validated", () => {
    class Parent {
      label?: unknown;
    }
    class Child extends Parent {
      @IsString() name!: string;
    }
    const sample = () => Object.assign(new Child(), { name: 'ok', label: 7 });
    expect(validateSync(sample())).toEqual([]);
    IsString()(Parent.prototype, 'label');
    expect(summary(validateSync(sample()))).toEqual(['label:isString']);
  });

  it('changes nothing when called again', () => {
    const current = storage.getTargetValidationMetadatas;
    cacheValidationMetadata();
    expect(storage.getTargetValidationMetadatas).toBe(current);
  });

  it('leaves an object without a prototype to the library, which refuses it as before', () => {
    expect(() => validateSync(Object.create(null) as object)).toThrow("Cannot read properties of undefined (reading 'prototype')");
  });
});
