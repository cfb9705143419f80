// The first-run screen while another account is added: says so, and goes back to the window.
import { useStore } from '../../store'

export function AddingHeader(): React.JSX.Element {
  return (
    <div className="row">
      <h1 className="spacer">Add an account</h1>
      <button type="button" className="icon-btn" onClick={() => useStore.getState().cancelAddAccount()}>
        Back to your chats
      </button>
    </div>
  )
}
