/**
 * The AWS pages the cases quote. Pages read as published at the time of writing carry no edition; pages read from
 * AWS's archived documentation repositories (their last commits, June 2023) say so, because some of their wording has
 * changed since.
 */
import type { DocSource } from './case';

export type Page = Omit<DocSource, 'quote'>;

const IAM = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/';
const ORGS = 'https://docs.aws.amazon.com/organizations/latest/userguide/';
const KMS = 'https://docs.aws.amazon.com/kms/latest/developerguide/';
const IAM_2023 = 'IAM User Guide as archived in github.com/awsdocs/iam-user-guide (June 2023)';
const ORGS_2023 = 'AWS Organizations User Guide as archived in github.com/awsdocs/aws-organizations-docs (June 2023)';
const KMS_2023 = 'AWS KMS Developer Guide as archived in github.com/awsdocs/aws-kms-developer-guide (June 2023)';

export const pages = {
  denyAllow: {
    page: 'How AWS enforcement code logic evaluates requests to allow or deny access',
    url: `${IAM}reference_policies_evaluation-logic_policy-eval-denyallow.html`,
  },
  interplay: {
    page: 'The difference between explicit and implicit denies',
    url: `${IAM}reference_policies_evaluation-logic_AccessPolicyLanguage_Interplay.html`,
  },
  evaluationLogic: { page: 'Policy evaluation logic', url: `${IAM}reference_policies_evaluation-logic.html`, edition: IAM_2023 },
  crossAccount: {
    page: 'Cross-account policy evaluation logic',
    url: `${IAM}reference_policies_evaluation-logic-cross-account.html`,
    edition: IAM_2023,
  },
  roleVsResourcePolicies: {
    page: 'How IAM roles differ from resource-based policies',
    url: `${IAM}id_roles_compare-resource-policies.html`,
    edition: IAM_2023,
  },
  boundaries: { page: 'Permissions boundaries for IAM entities', url: `${IAM}access_policies_boundaries.html`, edition: IAM_2023 },
  sessionPolicies: {
    page: 'Policies and permissions in IAM: Session policies',
    url: `${IAM}access_policies.html#policies_session`,
    edition: IAM_2023,
  },
  statement: { page: 'IAM JSON policy elements: Statement', url: `${IAM}reference_policies_elements_statement.html` },
  effect: { page: 'IAM JSON policy elements: Effect', url: `${IAM}reference_policies_elements_effect.html` },
  action: { page: 'IAM JSON policy elements: Action', url: `${IAM}reference_policies_elements_action.html`, edition: IAM_2023 },
  notAction: { page: 'IAM JSON policy elements: NotAction', url: `${IAM}reference_policies_elements_notaction.html`, edition: IAM_2023 },
  resource: { page: 'IAM JSON policy elements: Resource', url: `${IAM}reference_policies_elements_resource.html` },
  resource2023: { page: 'IAM JSON policy elements: Resource', url: `${IAM}reference_policies_elements_resource.html`, edition: IAM_2023 },
  notResource: {
    page: 'IAM JSON policy elements: NotResource',
    url: `${IAM}reference_policies_elements_notresource.html`,
    edition: IAM_2023,
  },
  principal: { page: 'AWS JSON policy elements: Principal', url: `${IAM}reference_policies_elements_principal.html`, edition: IAM_2023 },
  notPrincipal: {
    page: 'AWS JSON policy elements: NotPrincipal',
    url: `${IAM}reference_policies_elements_notprincipal.html`,
    edition: IAM_2023,
  },
  conditionOperators: {
    page: 'IAM JSON policy elements: Condition operators',
    url: `${IAM}reference_policies_elements_condition_operators.html`,
  },
  conditionOperators2023: {
    page: 'IAM JSON policy elements: Condition operators',
    url: `${IAM}reference_policies_elements_condition_operators.html`,
    edition: IAM_2023,
  },
  multipleValues: {
    page: 'Creating a condition with multiple keys or values',
    url: `${IAM}reference_policies_multi-value-conditions.html`,
    edition: IAM_2023,
  },
  singleVsMulti: {
    page: 'Single-valued vs. multivalued condition keys',
    url: `${IAM}reference_policies_single-vs-multi-valued-condition-keys.html`,
    edition: IAM_2023,
  },
  multiValuedExamples: {
    page: 'Multivalued context key examples',
    url: `${IAM}reference_policies_condition_examples-multi-valued-context-keys.html`,
  },
  variables: { page: 'IAM policy elements: Variables and tags', url: `${IAM}reference_policies_variables.html` },
  variables2023: { page: 'IAM policy elements: Variables and tags', url: `${IAM}reference_policies_variables.html`, edition: IAM_2023 },
  globalKeys: { page: 'AWS global condition context keys', url: `${IAM}reference_policies_condition-keys.html`, edition: IAM_2023 },
  passRole: {
    page: 'Granting a user permissions to pass a role to an AWS service',
    url: `${IAM}id_roles_use_passrole.html`,
    edition: IAM_2023,
  },
  switchRole: {
    page: 'Granting a user permissions to switch roles',
    url: `${IAM}id_roles_use_permissions-to-switch.html`,
    edition: IAM_2023,
  },
  roleTerms: { page: 'Roles terms and concepts', url: `${IAM}id_roles_terms-and-concepts.html`, edition: IAM_2023 },
  sessionTags: { page: 'Passing session tags in AWS STS', url: `${IAM}id_session-tags.html`, edition: IAM_2023 },
  managedVsInline: { page: 'Managed policies and inline policies', url: `${IAM}access_policies_managed-vs-inline.html`, edition: IAM_2023 },
  serviceLinkedRoles: { page: 'Using service-linked roles', url: `${IAM}using-service-linked-roles.html`, edition: IAM_2023 },
  scps: { page: 'Service control policies (SCPs)', url: `${ORGS}orgs_manage_policies_scps.html`, edition: ORGS_2023 },
  scpStrategies: { page: 'Strategies for using SCPs', url: `${ORGS}orgs_manage_policies_scps_strategies.html`, edition: ORGS_2023 },
  rcps: { page: 'Resource control policies (RCPs)', url: `${ORGS}orgs_manage_policies_rcps.html` },
  rcpEvaluation: { page: 'RCP evaluation', url: `${ORGS}orgs_manage_policies_rcps_evaluation.html` },
  keyPolicies: { page: 'Key policies in AWS KMS', url: `${KMS}key-policies.html`, edition: KMS_2023 },
  defaultKeyPolicy: { page: 'Default key policy', url: `${KMS}key-policy-default.html`, edition: KMS_2023 },
  keyPolicyOtherAccounts: {
    page: 'Allowing users in other accounts to use a KMS key',
    url: `${KMS}key-policy-modifying-external-accounts.html`,
    edition: KMS_2023,
  },
  getCallerIdentity: {
    page: 'GetCallerIdentity (AWS STS API Reference)',
    url: 'https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html',
  },
} satisfies Record<string, Page>;

/** A citation: the page and the sentence (or two) the case tests. */
export function cite(page: Page, quote: string): DocSource {
  return { ...page, quote };
}
