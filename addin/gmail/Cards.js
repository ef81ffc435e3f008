/**
 * Mailward for Gmail: the CardService adapter.
 *
 * The card itself is made by the engine (`mailward_core::render::card`, card v1 JSON, the
 * same card the server's HTTP runtime returns). This file only turns that JSON into
 * CardService calls: the header, sections of `textParagraph` and `decoratedText` widgets
 * (icons by URL or by CardService.Icon name), and the fixed footer's two buttons. Unknown
 * widgets are skipped, never guessed at. The strings arrive escaped by the engine and are
 * passed through unchanged.
 *
 * The few cards that need no analysis (the homepage, an error) are written here as card v1
 * JSON too, so everything the add-on shows goes through one adapter.
 */

/** Builds a CardService Card from card v1 JSON (an object). */
function cardFromJson_(card) {
  var builder = CardService.newCardBuilder();
  if (card.name) builder.setName(card.name);
  if (card.header) builder.setHeader(headerFromJson_(card.header));
  var sections = card.sections || [];
  for (var i = 0; i < sections.length; i++) {
    builder.addSection(sectionFromJson_(sections[i]));
  }
  if (card.fixedFooter) builder.setFixedFooter(footerFromJson_(card.fixedFooter));
  return builder.build();
}

function headerFromJson_(h) {
  var header = CardService.newCardHeader().setTitle(h.title);
  if (h.subtitle) header.setSubtitle(h.subtitle);
  if (h.imageUrl) header.setImageUrl(h.imageUrl);
  if (h.imageType) {
    header.setImageStyle(h.imageType === 'CIRCLE' ? CardService.ImageStyle.CIRCLE
                                                  : CardService.ImageStyle.SQUARE);
  }
  if (h.imageAltText) header.setImageAltText(h.imageAltText);
  return header;
}

function sectionFromJson_(s) {
  var section = CardService.newCardSection();
  if (s.header) section.setHeader(s.header);
  if (s.collapsible) {
    section.setCollapsible(true);
    section.setNumUncollapsibleWidgets(s.uncollapsibleWidgetsCount || 0);
  }
  var widgets = s.widgets || [];
  for (var i = 0; i < widgets.length; i++) {
    var w = widgetFromJson_(widgets[i]);
    if (w) section.addWidget(w);
  }
  return section;
}

function widgetFromJson_(w) {
  if (w.textParagraph) {
    return CardService.newTextParagraph().setText(w.textParagraph.text);
  }
  if (w.decoratedText) {
    var d = w.decoratedText;
    var widget = CardService.newDecoratedText().setText(d.text);
    if (d.topLabel) widget.setTopLabel(d.topLabel);
    if (d.bottomLabel) widget.setBottomLabel(d.bottomLabel);
    if (d.wrapText) widget.setWrapText(true);
    if (d.startIcon) widget.setStartIcon(iconFromJson_(d.startIcon));
    return widget;
  }
  return null;
}

function iconFromJson_(i) {
  var icon = CardService.newIconImage();
  if (i.knownIcon && CardService.Icon[i.knownIcon]) icon.setIcon(CardService.Icon[i.knownIcon]);
  else if (i.iconUrl) icon.setIconUrl(i.iconUrl);
  if (i.altText) icon.setAltText(i.altText);
  return icon;
}

function footerFromJson_(f) {
  var footer = CardService.newFixedFooter().setPrimaryButton(buttonFromJson_(f.primaryButton));
  if (f.secondaryButton) footer.setSecondaryButton(buttonFromJson_(f.secondaryButton));
  return footer;
}

function buttonFromJson_(b) {
  var button = CardService.newTextButton().setText(b.text);
  if (b.type && CardService.TextButtonStyle[b.type]) {
    button.setTextButtonStyle(CardService.TextButtonStyle[b.type]);
  }
  if (b.color) button.setBackgroundColor(hexColor_(b.color));
  var click = b.onClick || {};
  if (click.action) {
    // The engine never puts parameters on an action; none are passed on here either.
    var action = CardService.newAction().setFunctionName(click.action['function']);
    if (click.action.loadIndicator && CardService.LoadIndicator[click.action.loadIndicator]) {
      action.setLoadIndicator(CardService.LoadIndicator[click.action.loadIndicator]);
    }
    button.setOnClickAction(action);
  } else if (click.openLink) {
    button.setOpenLink(CardService.newOpenLink().setUrl(click.openLink.url));
  }
  return button;
}

/** `{red, green, blue}` in 0..1 to `#rrggbb`. */
function hexColor_(c) {
  var hex = function (x) {
    var v = Math.max(0, Math.min(255, Math.round((x || 0) * 255)));
    return (v < 16 ? '0' : '') + v.toString(16);
  };
  return '#' + hex(c.red) + hex(c.green) + hex(c.blue);
}

/** The homepage: what the add-on does, and that nothing leaves unless the user reports. */
function homepageCardJson_() {
  return {
    name: 'mailward-home',
    header: { title: 'Mailward', subtitle: 'Phishing check for the message you open' },
    sections: [{
      widgets: [
        { textParagraph: { text:
          'Open a message and Mailward checks its sender, links, attachments and ' +
          'authentication, and explains anything suspicious in plain words.' } },
        { textParagraph: { text:
          'The check runs inside this add-on. Nothing is sent anywhere unless you press ' +
          '<b>Report phishing</b>.' } },
      ],
    }],
  };
}

/** A card saying what went wrong, in words for the user (never message content). */
function errorCardJson_(text) {
  return {
    name: 'mailward-error',
    header: { title: 'Mailward', subtitle: 'Something went wrong' },
    sections: [{ widgets: [{ textParagraph: { text: text } }] }],
  };
}
