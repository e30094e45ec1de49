import { loadConfig } from './config.js'
import { startCodecEndpoint } from './temporal/codec-endpoint.js'

/**
 * `npm run codec-server`: the Temporal Web UI's codec endpoint for operators of a cluster, with the
 * product's PAYLOAD_KEY, on 127.0.0.1:CODEC_PORT (reach it through an SSH tunnel). In the Web UI:
 * "Configure data encoder" → Remote Codec Endpoint http://127.0.0.1:8888.
 */
const config = loadConfig()
const endpoint = startCodecEndpoint(config)
if (!endpoint) {
  console.error('PAYLOAD_KEY is not set: nothing to decode.')
  process.exit(1)
}
console.log(`Codec endpoint: ${endpoint.url} (Web UI origin ${config.temporalUiOrigin})`)
