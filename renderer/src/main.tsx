import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { AppProvider } from './app-context.tsx';
import { connectBackend } from './backend.ts';
import { Toasts } from './components/Toasts.tsx';
import './styles.css';

const backend = connectBackend();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppProvider backend={backend}>
      {(toasts, dismiss) => (
        <>
          <App />
          <Toasts toasts={toasts} dismiss={dismiss} />
        </>
      )}
    </AppProvider>
  </StrictMode>,
);
