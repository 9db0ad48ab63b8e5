<?php
/**
 * A block per element (`rtc-elements/player`, `rtc-elements/publisher`, `rtc-elements/room`):
 * the attributes of the shortcodes, rendered on the server by the same renderer. The editor side is
 * plain JS on the editor's globals (`blocks/editor.js`, no build step) with a preview of the block.
 *
 * @package RtcElements
 */

namespace RtcElements\Blocks;

use RtcElements\Render;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

const EDITOR_HANDLE = 'rtc-elements-editor';

/** The block attributes of one element, from the renderer's table. */
function attributes( $kind ) {
	$types = array(
		'string' => 'string',
		'bool'   => 'boolean',
		'int'    => 'number',
	);
	$out   = array();
	foreach ( Render\elements()[ $kind ]['attrs'] as $key => list( , $type, $default ) ) {
		$out[ $key ] = array(
			'type'    => $types[ $type ],
			'default' => $default,
		);
	}
	return $out;
}

function register() {
	if ( ! function_exists( 'register_block_type' ) ) {
		return;
	}
	wp_register_script(
		EDITOR_HANDLE,
		plugins_url( 'blocks/editor.js', RTC_ELEMENTS_FILE ),
		array( 'wp-blocks', 'wp-element', 'wp-block-editor', 'wp-components', 'wp-i18n' ),
		RTC_ELEMENTS_VERSION,
		true
	);
	wp_set_script_translations( EDITOR_HANDLE, 'rtc-elements', RTC_ELEMENTS_DIR . 'languages' );
	$titles = array(
		'player'    => __( 'RTC player', 'rtc-elements' ),
		'publisher' => __( 'RTC publisher', 'rtc-elements' ),
		'room'      => __( 'RTC room', 'rtc-elements' ),
	);
	$data   = array();
	foreach ( array_keys( Render\elements() ) as $kind ) {
		$data[ $kind ] = array(
			'title'      => $titles[ $kind ],
			'attributes' => attributes( $kind ),
		);
		register_block_type(
			'rtc-elements/' . $kind,
			array(
				'api_version'     => 2,
				'title'           => $titles[ $kind ],
				'category'        => 'embed',
				'attributes'      => attributes( $kind ),
				'editor_script'   => EDITOR_HANDLE,
				'render_callback' => static function ( $attributes ) use ( $kind ) {
					$wrapper = get_block_wrapper_attributes( array( 'class' => 'rtc-elements rtc-elements-' . $kind ) );
					return Render\render( $kind, is_array( $attributes ) ? $attributes : array(), $wrapper );
				},
			)
		);
	}
	wp_add_inline_script( EDITOR_HANDLE, 'window.rtcElementsBlocks = ' . wp_json_encode( $data ) . ';', 'before' );
}
