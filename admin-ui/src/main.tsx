import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import './styles.css'
import './print.css'

// A new release replaced the chunks this page knew of: load the new index.html, once (Vite's advice).
window.addEventListener('vite:preloadError', (event) => {
  if (sessionStorage.getItem('kpi.reloadedForRelease')) return
  sessionStorage.setItem('kpi.reloadedForRelease', '1')
  event.preventDefault()
  window.location.reload()
})

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
