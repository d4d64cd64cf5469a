// Answers "would class-validator find nothing wrong?" without building its error tree.
import { getMetadataStorage, ValidationArguments, ValidationTypes } from 'class-validator';

type MetadataStorage = ReturnType<typeof getMetadataStorage>;
type Rules = ReturnType<MetadataStorage['getTargetValidationMetadatas']>;
type Rule = Rules[number];
type Constraint = ReturnType<MetadataStorage['getTargetValidatorConstraints']>[number]['instance'];

/** A rule with the constraints validateSync runs for it (the synchronous ones), resolved once. */
interface Check {
  readonly rule: Rule;
  readonly constraints: readonly Constraint[];
}

/** One property's rules, split the way class-validator's executor splits them. */
interface PropertyPlan {
  readonly name: string;
  readonly conditions: readonly Rule[];
  readonly checks: readonly Check[];
  /** Set for `@ValidateNested`: the schema class-validator asks the nested object's rules with (the declaring class's name). */
  readonly nestedSchema: string | undefined;
}

/** A class's plan, or `undefined` when its rules use something this check does not follow. */
type Plan = readonly PropertyPlan[] | undefined;

const FOLLOWED = new Set<string>([
  ValidationTypes.CONDITIONAL_VALIDATION,
  ValidationTypes.CUSTOM_VALIDATION,
  ValidationTypes.IS_DEFINED,
  ValidationTypes.NESTED_VALIDATION,
]);

/**
 * class-validator builds a ValidationError for every property it looks at, valid or not, then
 * throws the empty ones away: on the validate call's 22 properties that is most of the pipe's
 * time and a quarter of a request's garbage. Almost every body is valid, so this asks the same
 * rules (the same metadata, the same constraint instances, the same arguments) and only says
 * yes or "ask class-validator": a `false` is never an answer, it sends the caller to
 * `validateSync` for the errors it will report.
 *
 * It follows exactly what `validateSync(object, { forbidUnknownValues: false })` does, with no
 * groups, `always`, whitelist or skip options: conditions (`@IsOptional`, `@ValidateIf`) all
 * true or the property is skipped; each rule's own `validateIf`; every synchronous constraint of
 * a rule (asynchronous ones are skipped, as validateSync skips them); and `@ValidateNested` on a
 * plain object, whose class is checked the same way. A class with rules using `each`, groups or
 * `always` has no plan, and every object of it goes to class-validator; so does an object whose
 * nested value is an array, set, map, null or primitive, or whose constraint answers with a
 * promise. Plans are kept per rules array: class-validator's lookup (cached by
 * validation-metadata-cache) hands back a new array once a rule is added.
 */
export class CleanValidation {
  private readonly plans = new WeakMap<Rules, Plan>();

  constructor(private readonly storage: MetadataStorage = getMetadataStorage()) {}

  /** True only when class-validator would find no error in `object` (an instance of a decorated class). */
  isClean(object: object, schema?: string): boolean {
    const rules = this.storage.getTargetValidationMetadatas(object.constructor, schema as string, false, false, undefined);
    let plan = this.plans.get(rules);
    if (plan === undefined && !this.plans.has(rules)) this.plans.set(rules, (plan = this.compile(rules)));
    if (plan === undefined) return false;
    for (const property of plan) {
      const value = (object as Record<string, unknown>)[property.name];
      if (!this.applies(object, value, property.conditions)) continue;
      for (const check of property.checks) if (!passes(object, value, check)) return false;
      if (property.nestedSchema !== undefined && value !== undefined) {
        if (!(value instanceof Object) || Array.isArray(value) || value instanceof Set || value instanceof Map) return false;
        if (!this.isClean(value, property.nestedSchema)) return false;
      }
    }
    return true;
  }

  private compile(rules: Rules): Plan {
    const byProperty = this.storage.groupByPropertyName(rules);
    const plan: PropertyPlan[] = [];
    for (const [name, propertyRules] of Object.entries(byProperty)) {
      if (propertyRules.some((rule) => !FOLLOWED.has(rule.type) || rule.each || rule.always || (rule.groups?.length ?? 0) > 0)) return undefined;
      const nested = propertyRules.find((rule) => rule.type === ValidationTypes.NESTED_VALIDATION);
      plan.push({
        name,
        conditions: propertyRules.filter((rule) => rule.type === ValidationTypes.CONDITIONAL_VALIDATION),
        // Defined checks run before the others, as in class-validator; the order only matters to its errors.
        checks: [
          ...propertyRules.filter((rule) => rule.type === ValidationTypes.IS_DEFINED),
          ...propertyRules.filter((rule) => rule.type === ValidationTypes.CUSTOM_VALIDATION),
        ].map((rule) => this.check(rule)),
        nestedSchema: nested && (typeof nested.target === 'string' ? nested.target : nested.target.name),
      });
    }
    return plan;
  }

  /** Every condition is asked, as class-validator asks them all before combining the answers. */
  private applies(object: object, value: unknown, conditions: readonly Rule[]): boolean {
    let applies = true;
    for (const condition of conditions) if (!(condition.constraints[0] as (o: object, v: unknown) => boolean)(object, value)) applies = false;
    return applies;
  }

  /**
   * validateSync ignores asynchronous constraints. The instances are resolved here, once: class-
   * validator's default container hands back the same instance of a class for ever (and looks it
   * up with a linear search on every call, over every decorator's class); the service never
   * replaces that container with useContainer.
   */
  private check(rule: Rule): Check {
    const constraints = this.storage.getTargetValidatorConstraints(rule.constraintCls).filter((constraint) => !constraint.async);
    return { rule, constraints: constraints.map((constraint) => constraint.instance) };
  }
}

function passes(object: object, value: unknown, { rule, constraints }: Check): boolean {
  if (rule.validateIf && !rule.validateIf(object, value)) return true;
  for (const constraint of constraints) {
    const args: ValidationArguments = {
      targetName: object.constructor ? object.constructor.name : (undefined as unknown as string),
      property: rule.propertyName,
      object,
      value,
      constraints: rule.constraints,
    };
    const valid: unknown = constraint.validate(value, args);
    if (valid !== true && valid !== false) return false; // a promise (or something odd): class-validator decides
    if (!valid) return false;
  }
  return true;
}
