/** Entry point of the workflow bundle: every workflow type the worker registers. */
export { cycleWorkflow } from './cycle.workflow.js'
export { evaluationWorkflow } from './evaluation.workflow.js'
export { nationalDbSyncWorkflow } from './national-db.workflow.js'
