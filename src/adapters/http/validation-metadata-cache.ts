// class-validator looks a class's rules up afresh on every validation: it filters the rules
// registered for the class, tests the class against every other decorated class for inherited
// ones, and regroups the result by property (typestack/class-validator#2686). Rules only change
// when a decorator runs, so the lookup is kept per class and question until a rule is added.
import { getMetadataStorage } from 'class-validator';

type MetadataStorage = ReturnType<typeof getMetadataStorage>;
type Rules = ReturnType<MetadataStorage['getTargetValidationMetadatas']>;
type RulesByProperty = Record<string, Rules>;

const cached = new WeakSet<MetadataStorage>();

/**
 * Makes `storage` (class-validator's own, by default) remember what getTargetValidationMetadatas
 * and groupByPropertyName answered; adding a rule forgets every answer. The answers are shared:
 * class-validator and Nest's mapped-types only read them (class-validator 0.15). Once per storage:
 * a second call changes nothing.
 */
export function cacheValidationMetadata(storage: MetadataStorage = getMetadataStorage()): void {
  if (cached.has(storage)) return;
  cached.add(storage);
  const lookUp = storage.getTargetValidationMetadatas.bind(storage);
  const groupByProperty = storage.groupByPropertyName.bind(storage);
  const addRule = storage.addValidationMetadata.bind(storage);
  // What every validation in this service asks (no schema, no groups): keyed by class alone.
  let plain = new WeakMap<object, Rules>();
  let others = new WeakMap<object, Map<string, Rules>>();
  const grouped = new WeakMap<Rules, RulesByProperty>();
  const remember = (rules: Rules): Rules => {
    grouped.set(rules, groupByProperty(rules));
    return rules;
  };

  storage.addValidationMetadata = (metadata) => {
    plain = new WeakMap();
    others = new WeakMap();
    addRule(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    // A prototype-less object has no constructor: nothing to key on.
    if (typeof target !== 'function') return lookUp(target, schema, always, strictGroups, groups);
    if (schema === undefined && groups === undefined && !always && !strictGroups) {
      let rules = plain.get(target);
      if (!rules) plain.set(target, (rules = remember(lookUp(target, schema, always, strictGroups, groups))));
      return rules;
    }
    const question = JSON.stringify([schema ?? null, always, strictGroups, groups ?? null]);
    let answers = others.get(target);
    if (!answers) others.set(target, (answers = new Map()));
    let rules = answers.get(question);
    if (!rules) answers.set(question, (rules = remember(lookUp(target, schema, always, strictGroups, groups))));
    return rules;
  };
  storage.groupByPropertyName = (rules) => grouped.get(rules) ?? groupByProperty(rules);
}
