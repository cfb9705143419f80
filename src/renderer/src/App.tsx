export function App(): React.JSX.Element {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: 32 }}>
      <h1>LAN Messenger</h1>
      <p>The desktop client is being built. Start a server with <code>npm run server</code>.</p>
    </main>
  )
}
