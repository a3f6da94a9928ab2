<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- English plural forms of the window's %n strings. Compile after a change with:
     pyside6-lrelease mnistpad/ui/i18n/mnistpad_en.ts -qm mnistpad/ui/i18n/mnistpad_en.qm -->
<TS version="2.1" language="en">
<context>
    <name>TrainingPanel</name>
    <message numerus="yes">
        <source>%n epoch(s)</source>
        <translation>
            <numerusform>%n epoch</numerusform>
            <numerusform>%n epochs</numerusform>
        </translation>
    </message>
</context>
</TS>
