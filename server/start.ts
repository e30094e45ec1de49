import { runServer } from './run.js'

/** `npm start`: the whole product in one command — Temporal dev server, PGlite or PostgreSQL, worker, API and web app. */
runServer({ withWorker: true }).catch((err) => {
  console.error(err)
  process.exit(1)
})
