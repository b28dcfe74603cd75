import { useI18n } from '../i18n';

export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  return (
    <button type="button" className="link-button" data-testid="language-switch" onClick={() => setLanguage(language === 'zh' ? 'en' : 'zh')}>
      {t('switchLanguage')}
    </button>
  );
}
