import { createRoot } from 'react-dom/client';
import '@parley/react/styles.css';
import 'uplot/dist/uPlot.min.css';
import './styles/admin.css';
import { App } from './app.js';

createRoot(document.getElementById('root')!).render(<App />);
