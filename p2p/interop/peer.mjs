// A js-libp2p peer for mnode's interop tests (InteropTest in p2p/src/test).
//
//   node peer.mjs listen              prints one JSON line {"listening": "<multiaddr>/p2p/<id>"},
//                                     serves identify, ping and /mnode/echo/1.0.0 until stdin closes
//   node peer.mjs dial MULTIADDR TEXT dials, pings, identifies, echoes TEXT; prints one JSON line
//                                     {"peerId", "rttMs", "agentVersion", "protocols", "echo"}
//
// Exit code 0 on success; on failure a JSON line {"error": "..."} and exit code 1.

// Node 20 lacks Promise.withResolvers, which some libp2p dependencies use.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers () {
    let resolve, reject
    const promise = new Promise((res, rej) => { resolve = res; reject = rej })
    return { promise, resolve, reject }
  }
}

const { createLibp2p } = await import('libp2p')
const { tcp } = await import('@libp2p/tcp')
const { noise } = await import('@chainsafe/libp2p-noise')
const { yamux } = await import('@chainsafe/libp2p-yamux')
const { identify } = await import('@libp2p/identify')
const { ping } = await import('@libp2p/ping')
const { multiaddr } = await import('@multiformats/multiaddr')

const ECHO = '/mnode/echo/1.0.0'

function out (obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

async function createNode (listen) {
  return createLibp2p({
    addresses: { listen: listen ? ['/ip4/127.0.0.1/tcp/0'] : [] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify(), ping: ping() }
  })
}

async function listen () {
  const node = await createNode(true)
  await node.handle(ECHO, async ({ stream }) => {
    await stream.sink(stream.source)
  })
  const addr = node.getMultiaddrs().find(a => a.toString().startsWith('/ip4/127.0.0.1/tcp/'))
  out({ listening: addr.toString() })
  process.stdin.resume()
  await new Promise(resolve => process.stdin.on('end', resolve).on('close', resolve))
  await node.stop()
}

async function dial (address, text) {
  const node = await createNode(false)
  try {
    const ma = multiaddr(address)
    const connection = await node.dial(ma)
    const rttMs = await node.services.ping.ping(ma)
    const info = await node.services.identify.identify(connection)
    const stream = await node.dialProtocol(ma, ECHO)
    await stream.sink([new TextEncoder().encode(text)])
    const chunks = []
    for await (const chunk of stream.source) {
      chunks.push(chunk.subarray())
    }
    const echo = Buffer.concat(chunks).toString('utf8')
    out({
      peerId: connection.remotePeer.toString(),
      rttMs,
      agentVersion: info.agentVersion,
      protocols: info.protocols,
      echo
    })
  } finally {
    await node.stop()
  }
}

try {
  const [mode, ...args] = process.argv.slice(2)
  if (mode === 'listen') {
    await listen()
  } else if (mode === 'dial' && args.length === 2) {
    await dial(args[0], args[1])
  } else {
    throw new Error('usage: node peer.mjs listen | node peer.mjs dial MULTIADDR TEXT')
  }
  process.exit(0)
} catch (e) {
  out({ error: String(e && e.stack ? e.stack : e).split('\n').slice(0, 3).join(' | ') })
  process.exit(1)
}
