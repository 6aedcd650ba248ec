// The kit's stylesheet imported after Tailwind's, with host utilities passed through className and classNames.
import './tailwind/tailwind.css';
import 'billpay-connect/styles.css';
import { mountKit } from './kit-page.js';
import { hostUtilities } from './host-utilities.js';

mountKit(document.getElementById('app')!, hostUtilities);
