import 'billpay-connect/styles.css';
import './control-wiped/wipe.css';
import { mountKit } from './kit-page.js';

mountKit(document.getElementById('app')!);
