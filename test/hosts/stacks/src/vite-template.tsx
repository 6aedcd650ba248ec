// The Vite react-ts template's main.tsx imports index.css and App.tsx imports App.css; a host adds the kit's
// stylesheet in main.tsx, so it lands between the two.
import './vite-template/index.css';
import 'billpay-connect/styles.css';
import './vite-template/App.css';
import { mountKit } from './kit-page.js';

mountKit(document.getElementById('root')!);
