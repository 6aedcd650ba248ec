// The kit's stylesheet imported before Tailwind's, with host utilities passed through className and classNames.
import 'billpay-connect/styles.css';
import './tailwind/tailwind.css';
import { mountKit } from './kit-page.js';
import { hostUtilities } from './host-utilities.js';

mountKit(document.getElementById('app')!, hostUtilities);
