// create-next-app's layout imports globals.css; the kit's stylesheet comes with the page that uses the kit.
import './next-default/globals.css';
import 'billpay-connect/styles.css';
import { mountKit } from './kit-page.js';

mountKit(document.getElementById('app')!, { explicitLight: true });
