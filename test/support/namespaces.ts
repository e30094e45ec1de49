/**
 * One Temporal namespace per test file: each file has its own fresh database, so its ids restart
 * at 1 and its workflow ids (`cycle:1`, `evaluation:1:2`) must not meet another file's.
 */
export const TEST_NAMESPACES = ['test-cycle', 'test-pglite', 'test-durability', 'test-api', 'test-worklog', 'test-e2e', 'test-topology', 'test-replay', 'test-actions', 'test-restart', 'test-audit', 'test-signin', 'test-formula', 'test-security', 'test-ranking', 'test-digest', 'test-forms', 'test-calendar', 'test-integrations', 'test-petitions', 'test-mau01', 'test-delivery', 'test-indicators', 'test-delegation', 'test-annual', 'test-unit-eval', 'test-paging', 'test-launch'] as const
export type TestLabel = 'cycle' | 'pglite' | 'durability' | 'api' | 'worklog' | 'e2e' | 'topology' | 'replay' | 'actions' | 'restart' | 'audit' | 'signin' | 'formula' | 'security' | 'ranking' | 'digest' | 'forms' | 'calendar' | 'integrations' | 'petitions' | 'mau01' | 'delivery' | 'indicators' | 'delegation' | 'annual' | 'unit-eval' | 'paging' | 'launch'
