import './next-tailwind/globals.css';
import 'billpay-connect/styles.css';
import { mountKit } from './kit-page.js';

mountKit(document.getElementById('app')!);
