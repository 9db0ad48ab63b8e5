// app.js loads the bundle at run time; its typings (the tag map and the typed events) come from the package.
import 'rtc-elements';
