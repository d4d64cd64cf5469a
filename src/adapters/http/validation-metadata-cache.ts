// class-validator looks a class's rules up afresh on every validation: it filters the rules
// registered for the class, tests the class against every other decorated class for inherited
// ones, and regroups the result by property (typestack/class-validator#2686). Rules only change
// when a decorator runs, so the lookup is kept per class and question until a rule is added.
import { getMetadataStorage } from 'class-validator';

type MetadataStorage = ReturnType<typeof getMetadataStorage>;
type Rules = ReturnType<MetadataStorage['getTargetValidationMetadatas']>;
type RulesByProperty = Record<string, Rules>;
/** By question: the schema asked about, or every argument as JSON. */
type Answers = Map<string | null | undefined, Rules>;

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
  // The usual question (no groups, always and strictGroups off) is keyed by class and schema: a
  // nested object is asked about with its parent's class name as schema, a top-level one with none.
  let usual = new WeakMap<object, Answers>();
  let others = new WeakMap<object, Answers>();
  const grouped = new WeakMap<Rules, RulesByProperty>();
  const remember = (rules: Rules): Rules => {
    grouped.set(rules, groupByProperty(rules));
    return rules;
  };

  storage.addValidationMetadata = (metadata) => {
    usual = new WeakMap();
    others = new WeakMap();
    addRule(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    // A prototype-less object has no constructor: nothing to key on.
    if (typeof target !== 'function') return lookUp(target, schema, always, strictGroups, groups);
    const asked = groups === undefined && !always && !strictGroups;
    const byClass = asked ? usual : others;
    const question = asked ? schema : JSON.stringify([schema ?? null, always, strictGroups, groups ?? null]);
    let answers = byClass.get(target);
    if (!answers) byClass.set(target, (answers = new Map()));
    let rules = answers.get(question);
    if (!rules) answers.set(question, (rules = remember(lookUp(target, schema, always, strictGroups, groups))));
    return rules;
  };
  storage.groupByPropertyName = (rules) => grouped.get(rules) ?? groupByProperty(rules);
}
