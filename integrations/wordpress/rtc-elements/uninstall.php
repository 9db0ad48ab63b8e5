<?php
/**
 * Uninstall: removes every option the plugin wrote (its settings, on every site of a network).
 *
 * @package RtcElements
 */

if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
	exit;
}

if ( is_multisite() ) {
	foreach ( get_sites( array( 'fields' => 'ids' ) ) as $rtc_elements_site ) {
		switch_to_blog( $rtc_elements_site );
		delete_option( 'rtc_elements_settings' );
		restore_current_blog();
	}
} else {
	delete_option( 'rtc_elements_settings' );
}
