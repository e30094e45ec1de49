import { runServer } from './run.js'

/** `npm run server`: the API alone (production: DATABASE_URL and TEMPORAL_ADDRESS set; workers run apart). */
runServer({ withWorker: false }).catch((err) => {
  console.error(err)
  process.exit(1)
})
