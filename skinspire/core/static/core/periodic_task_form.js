// django-celery-beat's periodic-task form: under the crontab field, show what the chosen
// schedule means. The package does this in an inline script, which the
// Content-Security-Policy blocks; this is the same behaviour as a file.
"use strict";
{
  const $ = django.jQuery;
  const script = document.getElementById("periodic-task-overrides");
  const readableCrontabs = JSON.parse(document.getElementById("readable-crontabs").textContent);
  const crontabHelp = script.dataset.crontabHelp;

  $(".field-crontab_translation").hide();
  $(".field-crontab").change(function () {
    const reading = readableCrontabs[$("#id_crontab").val()];
    $(".field-crontab .help")
      .text(crontabHelp)
      .append(document.createElement("br"), document.createTextNode(`Translation: ${reading}`));
  });
}
